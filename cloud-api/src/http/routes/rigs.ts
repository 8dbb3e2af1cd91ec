// GET /api/v1/rigs, /rigs/:tenant/:rig/frames, /rigs/:tenant/:rig/series
//
// Tenant isolation: with auth on, the guard (auth/guard.ts) refuses a :tenant or ?tenant= the
// caller may not read before these handlers run; GET /rigs without ?tenant= lists only the
// caller's tenants (the same rule the WebSocket uses).
import type { FastifyInstance } from 'fastify'
import type { RigSummary, TelemetryQueries } from '../../../../ingest/src/store/types.js'
import { loadProfile, DEFAULT_PROFILE_ID, type RigProfile } from '../../../../common/src/profile.js'
import { rsError } from '../../../../common/src/errors.js'
import { canReadTenant } from '../../live/authorize.js'
import { ID, CHANNEL, MICROS, rigParams, rigSummary, frameRow, seriesResponse, errorResponses } from '../schemas.js'

export interface RigRoutesOptions {
  queries: TelemetryQueries
  /** live status of a rig, from the hub */
  statusOf: (tenant: string, rig: string) => string | undefined
}

/** Raw samples one series request may return; longer spans must ask for an envelope (points=). */
export const MAX_RAW_SAMPLES = 200_000
const DEFAULT_SPAN_US = 10 * 60 * 1_000_000

interface RigParams { tenant: string, rig: string }

export async function rigRoutes (app: FastifyInstance, o: RigRoutesOptions): Promise<void> {
  const { queries } = o

  async function requireRig (tenant: string, rig: string): Promise<{ summary: RigSummary, profile: RigProfile | undefined }> {
    const summary = (await queries.listRigs(tenant)).find(r => r.rig === rig)
    if (!summary) throw rsError('RS_ERR_NOT_FOUND', `rig ${tenant}/${rig}`)
    return { summary, profile: loadProfile(summary.profile || DEFAULT_PROFILE_ID) }
  }

  function requireChannel (profile: RigProfile | undefined, id: string): void {
    if (profile && !profile.byId.has(id)) throw rsError('RS_ERR_UNKNOWN_CHANNEL', `${id} is not a channel of profile ${profile.id}`)
  }

  app.get<{ Querystring: { tenant?: string } }>('/rigs', {
    config: { summary: 'Rigs with stored frames, of the caller\'s tenants (or ?tenant=)' },
    schema: {
      querystring: { type: 'object', properties: { tenant: ID } },
      response: { 200: { type: 'object', properties: { rigs: { type: 'array', items: rigSummary } }, required: ['rigs'] }, ...errorResponses }
    }
  }, async req => {
    const p = req.principal
    const only = p.tenants !== '*' && p.tenants.length === 1 ? p.tenants[0] : undefined
    const rigs = (await queries.listRigs(req.query.tenant ?? only)).filter(r => canReadTenant(p, r.tenant))
    return { rigs: rigs.map(r => ({ ...r, status: o.statusOf(r.tenant, r.rig) ?? 'UNKNOWN' })) }
  })

  app.get<{ Params: RigParams, Querystring: { channels?: string, since?: number, limit: number } }>('/rigs/:tenant/:rig/frames', {
    config: { summary: 'Newest frames of a rig, newest first, with their samples' },
    schema: {
      params: rigParams,
      querystring: {
        type: 'object',
        properties: {
          channels: { type: 'string', pattern: '^[A-Za-z0-9_]{1,32}(,[A-Za-z0-9_]{1,32}){0,63}$' },
          since: MICROS,
          limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 }
        }
      },
      response: {
        200: { type: 'object', properties: { tenant: { type: 'string' }, rig: { type: 'string' }, frames: { type: 'array', items: frameRow } }, required: ['tenant', 'rig', 'frames'] },
        ...errorResponses
      }
    }
  }, async req => {
    const { tenant, rig } = req.params
    const { profile } = await requireRig(tenant, rig)
    const channels = req.query.channels?.split(',')
    for (const c of channels ?? []) requireChannel(profile, c)
    const frames = await queries.recentFrames({ tenant, rig, channels, sinceUs: req.query.since, limit: req.query.limit })
    return { tenant, rig, frames }
  })

  app.get<{ Params: RigParams, Querystring: { channel: string, from?: number, to?: number, points?: number } }>('/rigs/:tenant/:rig/series', {
    config: { summary: 'One channel over a time range: raw samples, or a min/max/mean envelope with points=' },
    schema: {
      params: rigParams,
      querystring: {
        type: 'object',
        properties: { channel: CHANNEL, from: MICROS, to: MICROS, points: { type: 'integer', minimum: 1, maximum: 10_000 } },
        required: ['channel']
      },
      response: { 200: seriesResponse, ...errorResponses }
    }
  }, async req => {
    const { tenant, rig } = req.params
    const { channel, points } = req.query
    const toUs = req.query.to ?? Date.now() * 1000
    const fromUs = req.query.from ?? toUs - DEFAULT_SPAN_US
    if (fromUs >= toUs) throw rsError('RS_ERR_BAD_REQUEST', `from (${fromUs}) must be before to (${toUs})`)
    const { profile } = await requireRig(tenant, rig)
    requireChannel(profile, channel)
    const q = { tenant, rig, channel, fromUs, toUs }
    if (points !== undefined) {
      const e = await queries.envelope({ ...q, points })
      return { ...q, mode: 'envelope', ...e }
    }
    const rate = profile?.byId.get(channel)?.rateHz
    if (rate !== undefined && (toUs - fromUs) / 1e6 * rate > MAX_RAW_SAMPLES) {
      throw rsError('RS_ERR_BAD_REQUEST', `${channel} at ${rate} Hz over ${(toUs - fromUs) / 1e6} s exceeds ${MAX_RAW_SAMPLES} raw samples; pass points= for a min/max envelope or narrow from/to`)
    }
    const r = await queries.rawSamples(q)
    return { ...q, mode: 'raw', ...r }
  })
}
