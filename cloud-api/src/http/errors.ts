// One error shape for every route: {"statusCode":404,"code":"RS_ERR_NOT_FOUND","error":"Not Found","message":"not found: rig demo/r9"}.
import type { Duplex } from 'node:stream'
import type { FastifyInstance, FastifyError } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { ERRORS, RigstreamError, type ErrorCode } from '../../../common/src/errors.js'
import { isPgDataError } from '../../../ingest/src/store/pg-errors.js'

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

/** The catalogue code of an HTTP 4xx that fastify or a plugin raises itself (body too large, a path it refuses). */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'RS_ERR_AUTH',
  403: 'RS_ERR_FORBIDDEN',
  404: 'RS_ERR_NOT_FOUND',
  409: 'RS_ERR_CONFLICT',
  413: 'RS_ERR_TOO_LARGE',
  429: 'RS_ERR_LIMIT'
}

/**
 * Node's HTTP parser refuses some requests before fastify sees them (headers too large, a
 * malformed request line): answer those in the same error shape, with a code.
 */
export function clientErrorHandler (err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, why]: [number, ErrorCode, string] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'RS_ERR_TOO_LARGE', 'request headers (with the query string) exceed the size limit']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'RS_ERR_BAD_REQUEST', 'request not received in time']
      : [400, 'RS_ERR_BAD_REQUEST', 'malformed HTTP request']
  const json = JSON.stringify(body(status, code, `${ERRORS[code].message}: ${why}`))
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Length: ${Buffer.byteLength(json)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${json}`)
  socket.destroy(err)
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
    if (isPgDataError(err)) {
      // a value PostgreSQL refuses to store or compare (a NUL byte in text, a number out of
      // range): the request's fault, not the server's
      return reply.code(400).send(body(400, 'RS_ERR_BAD_REQUEST', `${ERRORS.RS_ERR_BAD_REQUEST.message}: a value in the request cannot be stored (${err.message})`))
    }
    const status = err.statusCode ?? 500
    if (status < 500) {
      const code = CODE_OF_STATUS[status] ?? 'RS_ERR_BAD_REQUEST'
      return reply.code(status).send(body(status, code, `${ERRORS[code].message}: ${err.message}`))
    }
    req.log.error({ err }, 'request failed')
    return reply.code(500).send(body(500, 'RS_ERR_INTERNAL', ERRORS.RS_ERR_INTERNAL.message))
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(body(404, 'RS_ERR_NOT_FOUND', `${ERRORS.RS_ERR_NOT_FOUND.message}: ${req.method} ${req.url.split('?')[0]}`))
  })
}
