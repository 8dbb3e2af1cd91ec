// GET /api/v1/shadow/:name/:version (issue 6, docs/worker.md "Shadow candidate"): the score
// of a candidate model that the inference workers run in shadow beside the active one, computed
// from the stored rows (inference/src/worker/store.ts shadowScore): per target, agreement with the
// active model's stored prediction of the same window, and accuracy (the candidate's and the
// active model's on the same windows) where the windows carry labels.
//
// Auth (issue 7): operator role. ?tenant= scopes it to one tenant (the guard checks the caller may
// read that tenant); without it the score covers every tenant, which only platform accounts (or
// an API without auth) may read. Not under /api/v1/models/: with auth on, every route under that
// prefix is public (agents download packages without a token, auth/guard.ts PUBLIC_PREFIXES).
import type { FastifyInstance } from 'fastify'
import type { PredictionStore } from '../../../../inference/src/worker/store.js'
import { rsError } from '../../../../common/src/errors.js'
import { ID, MICROS } from '../schemas.js'

export interface ShadowRoutesOptions { store: PredictionStore }

const NAME = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
const VERSION = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$' } as const
const errors = { 400: { $ref: 'rs.error#' }, 401: { $ref: 'rs.error#' }, 403: { $ref: 'rs.error#' } } as const
const SHARE = { type: ['number', 'null'] } as const

const score = {
  type: 'object',
  properties: {
    modelName: { type: 'string' },
    modelVersion: { type: 'string' },
    tenant: { type: ['string', 'null'] },
    sinceUs: { type: 'integer' },
    windows: { type: 'integer' },
    compared: { type: 'integer' },
    activeVersions: { type: 'array', items: { type: 'string' } },
    targets: {
      type: 'array',
      items: {
        type: 'object',
        properties: { target: { type: 'string' }, compared: { type: 'integer' }, agreement: SHARE, labelled: { type: 'integer' }, accuracy: SHARE, activeAccuracy: SHARE },
        required: ['target', 'compared', 'agreement', 'labelled', 'accuracy', 'activeAccuracy']
      }
    }
  },
  required: ['modelName', 'modelVersion', 'tenant', 'sinceUs', 'windows', 'compared', 'activeVersions', 'targets']
} as const

export async function shadowRoutes (app: FastifyInstance, o: ShadowRoutesOptions): Promise<void> {
  app.get<{ Params: { name: string, version: string }, Querystring: { tenant?: string, since?: number } }>('/shadow/:name/:version', {
    config: { role: 'operator', summary: 'Score of a candidate model run in shadow by the inference workers: agreement with the active model and accuracy on labelled windows' },
    schema: {
      params: { type: 'object', properties: { name: NAME, version: VERSION }, required: ['name', 'version'] },
      querystring: { type: 'object', properties: { tenant: ID, since: MICROS } },
      response: { 200: score, ...errors }
    }
  }, async req => {
    const { name, version } = req.params
    const { tenant, since } = req.query
    if (tenant === undefined && req.principal !== undefined && req.principal.tenants !== '*') {
      throw rsError('RS_ERR_FORBIDDEN', 'the score over every tenant is for platform accounts; add ?tenant=')
    }
    return await o.store.shadowScore({ modelName: name, modelVersion: version, tenant: tenant ?? null, sinceUs: since ?? 0 })
  })
}
