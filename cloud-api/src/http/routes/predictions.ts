// GET /api/v1/rigs/:tenant/:rig/predictions, .../alerts, POST .../alerts/:id/ack, GET .../drift
// (issue 6: the inference worker's results; inference/src/worker/store.ts reads them).
//
// Auth (issue 7, auth/guard.ts): the :tenant path parameter puts every route here under the
// guard's tenant isolation; acknowledging needs the operator role and records the caller.
import type { FastifyInstance } from 'fastify'
import type { PredictionStore } from '../../../../inference/src/worker/store.js'
import { rsError } from '../../../../common/src/errors.js'
import { ID, MICROS, rigParams, errorResponses } from '../schemas.js'

export interface PredictionRoutesOptions {
  store: PredictionStore
  /** target names in model order, for the drift report */
  targets: readonly string[]
}

interface RigParams { tenant: string, rig: string }

const head = {
  type: 'object',
  properties: {
    target: { type: 'string' },
    classIndex: { type: 'integer' },
    value: { type: ['number', 'null'] },
    label: { type: 'string' },
    probs: { type: 'array', items: { type: 'number' } }
  },
  required: ['target', 'classIndex', 'label', 'probs']
} as const

const prediction = {
  type: 'object',
  properties: {
    windowStartUs: { type: 'integer' },
    windowEndUs: { type: 'integer' },
    modelVersion: { type: 'string' },
    source: { type: 'string' },
    firstSeq: { type: 'integer' },
    lastSeq: { type: 'integer' },
    producedUs: { type: 'integer' },
    heads: { type: 'array', items: head }
  },
  required: ['windowStartUs', 'windowEndUs', 'modelVersion', 'source', 'heads']
} as const

const alert = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    timeUs: { type: 'integer' },
    severity: { type: 'string' },
    component: { type: 'string' },
    rule: { type: 'string' },
    message: { type: 'string' },
    source: { type: 'string' },
    raisedOffline: { type: 'boolean' },
    acknowledgedUs: { type: ['integer', 'null'] },
    acknowledgedBy: { type: ['string', 'null'] }
  },
  required: ['id', 'timeUs', 'severity', 'component', 'rule', 'message', 'source', 'acknowledgedUs']
} as const

// no control characters (PostgreSQL refuses a NUL byte in text; no id the worker makes has one)
const ALERT_ID = { type: 'string', minLength: 1, maxLength: 512, pattern: '^[^\\x00-\\x1f\\x7f]+$' } as const

export async function predictionRoutes (app: FastifyInstance, o: PredictionRoutesOptions): Promise<void> {
  const { store } = o

  app.get<{ Params: RigParams, Querystring: { source?: 'edge' | 'cloud', from?: number, to?: number, limit: number } }>('/rigs/:tenant/:rig/predictions', {
    config: { summary: 'Stored predictions of a rig (edge and cloud), newest first' },
    schema: {
      params: rigParams,
      querystring: {
        type: 'object',
        properties: { source: { type: 'string', enum: ['edge', 'cloud'] }, from: MICROS, to: MICROS, limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 } }
      },
      response: {
        200: { type: 'object', properties: { tenant: { type: 'string' }, rig: { type: 'string' }, predictions: { type: 'array', items: prediction } }, required: ['tenant', 'rig', 'predictions'] },
        ...errorResponses
      }
    }
  }, async req => {
    const { tenant, rig } = req.params
    const { source, from, to, limit } = req.query
    if (from !== undefined && to !== undefined && from >= to) throw rsError('RS_ERR_BAD_REQUEST', `from (${from}) must be before to (${to})`)
    const rows = await store.listPredictions({ tenant, rig, source, fromUs: from, toUs: to, limit })
    return { tenant, rig, predictions: rows }
  })

  app.get<{ Params: RigParams, Querystring: { open?: boolean, limit: number } }>('/rigs/:tenant/:rig/alerts', {
    config: { summary: 'Alerts of a rig, newest first (?open=true: not acknowledged)' },
    schema: {
      params: rigParams,
      querystring: { type: 'object', properties: { open: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 } } },
      response: {
        200: { type: 'object', properties: { tenant: { type: 'string' }, rig: { type: 'string' }, alerts: { type: 'array', items: alert } }, required: ['tenant', 'rig', 'alerts'] },
        ...errorResponses
      }
    }
  }, async req => {
    const { tenant, rig } = req.params
    return { tenant, rig, alerts: await store.listAlerts({ tenant, rig, open: req.query.open, limit: req.query.limit }) }
  })

  app.post<{ Params: RigParams & { id: string }, Body: { by?: string } | undefined }>('/rigs/:tenant/:rig/alerts/:id/ack', {
    config: { summary: 'Acknowledge an alert (operator role)', role: 'operator' },
    schema: {
      params: { type: 'object', properties: { tenant: ID, rig: ID, id: ALERT_ID }, required: ['tenant', 'rig', 'id'] },
      body: { type: ['object', 'null'], properties: { by: { type: 'string', minLength: 1, maxLength: 128 } }, additionalProperties: false },
      response: {
        200: { type: 'object', properties: { id: { type: 'string' }, acknowledgedUs: { type: 'integer' }, acknowledgedBy: { type: 'string' } }, required: ['id', 'acknowledgedUs', 'acknowledgedBy'] },
        ...errorResponses
      }
    }
  }, async req => {
    const { tenant, rig, id } = req.params
    // with auth on, the user is the token's subject (a body cannot speak for someone else);
    // without auth (no role on the principal) the optional body name, as before
    const by = req.principal?.role !== undefined ? req.principal.subject : (req.body?.by ?? 'operator')
    const r = await store.acknowledgeAlert(tenant, rig, id, by)
    if (!r) throw rsError('RS_ERR_NOT_FOUND', `alert ${id} of rig ${tenant}/${rig}`)
    return { id, ...r }
  })

  app.get<{ Params: RigParams, Querystring: { since?: number } }>('/rigs/:tenant/:rig/drift', {
    config: { summary: 'Edge vs cloud: share of windows whose predicted classes differ, per target' },
    schema: {
      params: rigParams,
      querystring: { type: 'object', properties: { since: MICROS } },
      response: {
        200: {
          type: 'object',
          properties: { tenant: { type: 'string' }, rig: { type: 'string' }, sinceUs: { type: 'integer' }, windows: { type: 'integer' }, disagreement: { type: 'object', additionalProperties: { type: 'number' } } },
          required: ['tenant', 'rig', 'sinceUs', 'windows', 'disagreement']
        },
        ...errorResponses
      }
    }
  }, async req => {
    const { tenant, rig } = req.params
    // default: the last 24 h of windows predicted by both the edge and the cloud
    const sinceUs = req.query.since ?? Date.now() * 1000 - 86_400_000_000
    const d = await store.drift(tenant, rig, sinceUs, o.targets)
    return { tenant, rig, sinceUs, ...d }
  })
}
