// GET /api/v1/profile, GET /api/v1/healthz
import type { FastifyInstance } from 'fastify'
import { loadProfile } from '../../../../common/src/profile.js'
import { rsError } from '../../../../common/src/errors.js'
import { errorResponses } from '../schemas.js'

export interface MetaRoutesOptions {
  profileId: string
  wsClients: () => number
  /** issue 7 (dashboard): what the page needs to know before it asks for more */
  features?: { auth: boolean, predictions: boolean }
}

const channelSpec = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    quantity: { type: 'string' },
    unit: { type: 'string' },
    rateHz: { type: 'number' },
    min: { type: 'number' },
    max: { type: 'number' },
    circuit: { type: 'string' }
  },
  required: ['id', 'unit', 'rateHz', 'min', 'max']
} as const

const targetSpec = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    title: { type: 'string' },
    values: { type: 'array', items: { type: 'number' } },
    labels: { type: 'array', items: { type: 'string' } },
    healthy: { type: 'integer' }
  },
  required: ['name', 'title', 'values', 'labels', 'healthy']
} as const

export async function metaRoutes (app: FastifyInstance, o: MetaRoutesOptions): Promise<void> {
  const started = Date.now()

  app.get<{ Querystring: { id?: string } }>('/profile', {
    config: { public: true, summary: 'A rig profile: channels, units, rates, ranges, sensor graph, targets' },
    schema: {
      querystring: { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_./-]{1,128}$' } } },
      response: {
        200: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            description: { type: 'string' },
            cycleSeconds: { type: 'number' },
            windowUs: { type: 'integer' },
            samplesPerSecond: { type: 'number' },
            channels: { type: 'array', items: channelSpec },
            edges: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
            targets: { type: 'array', items: targetSpec }
          },
          required: ['id', 'channels', 'targets', 'edges', 'windowUs']
        },
        ...errorResponses
      }
    }
  }, async req => {
    const id = req.query.id ?? o.profileId
    const p = loadProfile(id)
    if (!p) throw rsError('RS_ERR_NOT_FOUND', `rig profile ${id}`)
    return p
  })

  app.get('/healthz', {
    config: { public: true, summary: 'Liveness' },
    schema: {
      response: {
        200: {
          type: 'object',
          properties: {
            status: { type: 'string' },
            uptimeS: { type: 'number' },
            wsClients: { type: 'integer' },
            // issue 7 (dashboard): auth = a token is needed (POST /auth/login); predictions = the
            // worker's routes (predictions, alerts, ack) are served
            auth: { type: 'boolean' },
            predictions: { type: 'boolean' }
          },
          required: ['status', 'uptimeS', 'wsClients']
        }
      }
    }
  }, async () => ({ status: 'ok', uptimeS: Math.round((Date.now() - started) / 1000), wsClients: o.wsClients(), auth: o.features?.auth ?? false, predictions: o.features?.predictions ?? false }))
}
