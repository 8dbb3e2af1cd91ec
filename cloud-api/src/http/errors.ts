// One error shape for every route: {"statusCode":404,"code":"RS_ERR_NOT_FOUND","error":"Not Found","message":"not found: rig demo/r9"}.
import type { FastifyInstance, FastifyError } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { ERRORS, RigstreamError, type ErrorCode } from '../../../common/src/errors.js'

export interface ErrorBody { statusCode: number, code: string, error: string, message: string }

export const errorBodySchema = {
  $id: 'rs.error',
  type: 'object',
  properties: { statusCode: { type: 'integer' }, code: { type: 'string' }, error: { type: 'string' }, message: { type: 'string' } },
  required: ['statusCode', 'code', 'message']
} as const

function body (statusCode: number, code: ErrorCode, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/** HTTP status of a catalogue error: its own, else 503 for retriable (infrastructure) errors, else 400 (the input was refused). */
export function statusOf (err: RigstreamError): number {
  return err.statusCode ?? (err.retriable ? 503 : 400)
}

export function installErrorHandlers (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | RigstreamError, req, reply) => {
    if (err instanceof RigstreamError) {
      const status = statusOf(err)
      if (status >= 500) req.log.error({ err }, 'request failed')
      return reply.code(status).send(body(status, err.code, err.message))
    }
    if (err.validation) {
      // fastify/ajv names the part and the rule, e.g. "querystring/limit must be <= 10000"
      return reply.code(400).send(body(400, 'RS_ERR_BAD_REQUEST', `${ERRORS.RS_ERR_BAD_REQUEST.message}: ${err.message}`))
    }
    const status = err.statusCode ?? 500
    if (status < 500) return reply.code(status).send(body(status, 'RS_ERR_BAD_REQUEST', `${ERRORS.RS_ERR_BAD_REQUEST.message}: ${err.message}`))
    req.log.error({ err }, 'request failed')
    return reply.code(500).send(body(500, 'RS_ERR_INTERNAL', ERRORS.RS_ERR_INTERNAL.message))
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(body(404, 'RS_ERR_NOT_FOUND', `${ERRORS.RS_ERR_NOT_FOUND.message}: ${req.method} ${req.url.split('?')[0]}`))
  })
}
