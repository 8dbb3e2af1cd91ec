// GET /api/v1/audit         admin: newest entries first (a tenant admin sees its tenant's only)
// GET /api/v1/audit/verify  platform admin: recomputes the whole hash chain
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { listAudit, verifyAuditChain } from '../../auth/audit.js'
import { ID } from '../schemas.js'

export interface AuditRoutesOptions { pool: pg.Pool }

const errors = { 400: { $ref: 'rs.error#' }, 401: { $ref: 'rs.error#' }, 403: { $ref: 'rs.error#' } } as const

const entry = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string' },
    actor: { type: 'string' },
    tenant: { type: ['string', 'null'] },
    action: { type: 'string' },
    target: { type: 'string' },
    detail: { type: 'object', additionalProperties: true },
    prevHash: { type: 'string' },
    hash: { type: 'string' }
  },
  required: ['id', 'at', 'actor', 'tenant', 'action', 'target', 'detail', 'prevHash', 'hash']
} as const

export async function auditRoutes (app: FastifyInstance, o: AuditRoutesOptions): Promise<void> {
  app.get<{ Querystring: { tenant?: string, limit: number, before?: number } }>('/audit', {
    config: { role: 'admin', summary: 'Audit log of administrative actions, newest first (admin)' },
    schema: {
      querystring: { type: 'object', properties: { tenant: ID, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, before: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
      response: { 200: { type: 'object', properties: { entries: { type: 'array', items: entry } }, required: ['entries'] }, ...errors }
    }
  }, async req => {
    const p = req.principal
    // the guard has checked ?tenant=; a tenant admin is pinned to its own tenant
    const tenant = p.tenants === '*' ? req.query.tenant : p.tenants[0]
    const rows = await listAudit(o.pool, { tenant, limit: req.query.limit, beforeId: req.query.before })
    return { entries: rows.map(r => ({ ...r, at: r.at.toISOString() })) }
  })

  app.get('/audit/verify', {
    config: { platform: true, summary: 'Recompute the audit hash chain (platform admin)' },
    schema: {
      response: {
        200: {
          type: 'object',
          properties: { ok: { type: 'boolean' }, rows: { type: 'integer' }, head: { type: 'string' }, brokenAt: { type: 'integer' }, reason: { type: 'string' } },
          required: ['ok', 'rows', 'head']
        },
        ...errors
      }
    }
  }, async () => await verifyAuditChain(o.pool))
}
