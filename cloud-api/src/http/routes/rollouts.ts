// Rollouts of a model version to a group of rigs, per tenant (admin of that tenant, or a platform
// admin; the guard refuses other tenants and lesser roles).
//   POST /api/v1/tenants/:tenant/rollouts                 start one: publishes the model command to each rig
//   GET  /api/v1/tenants/:tenant/rollouts                 newest first, with each rig's status
//   GET  /api/v1/tenants/:tenant/rollouts/:id
//   POST /api/v1/tenants/:tenant/rollouts/:id/rollback    sends each rig back to the version it ran before
//   GET  /api/v1/tenants/:tenant/model-versions           (any role) each rig's last reported model version
//   GET  /api/v1/tenants/:tenant/rig-groups               (any role) named groups of rigs
//   PUT  /api/v1/tenants/:tenant/rig-groups/:group        admin: set a group's rigs
//   DELETE /api/v1/tenants/:tenant/rig-groups/:group      admin: remove a group
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { rsError } from '../../../../common/src/errors.js'
import { appendAudit } from '../../auth/audit.js'
import { MAX_ROLLOUT_RIGS, RIG_STATUSES, type RolloutService } from '../../models/rollouts.js'
import { ID } from '../schemas.js'

export interface RolloutRoutesOptions {
  rollouts: RolloutService
  pool: pg.Pool
}

const errors = { 400: { $ref: 'rs.error#' }, 401: { $ref: 'rs.error#' }, 403: { $ref: 'rs.error#' }, 404: { $ref: 'rs.error#' } } as const
const NULLABLE = { type: ['string', 'null'] } as const

const rolloutRig = {
  type: 'object',
  properties: {
    rig: { type: 'string' },
    targetVersion: { type: 'string' },
    previousVersion: NULLABLE,
    status: { type: 'string', enum: RIG_STATUSES },
    detail: NULLABLE,
    activeVersion: NULLABLE,
    updatedAt: { type: 'string' }
  },
  required: ['rig', 'targetVersion', 'previousVersion', 'status', 'detail', 'activeVersion', 'updatedAt']
} as const

const count = { type: 'integer' } as const
export const rolloutSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    tenant: { type: 'string' },
    kind: { type: 'string', enum: ['rollout', 'rollback'] },
    name: { type: 'string' },
    version: { type: 'string' },
    rollbackOf: { type: ['integer', 'null'] },
    rolledBackBy: { type: ['integer', 'null'] },
    group: { type: ['string', 'null'], description: 'the rig group it was started for; null = a list of rigs' },
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
    counts: {
      type: 'object',
      properties: { pending: count, active: count, failed: count, rolledBack: count, superseded: count, skipped: count },
      required: ['pending', 'active', 'failed', 'rolledBack', 'superseded', 'skipped']
    },
    rigs: { type: 'array', items: rolloutRig }
  },
  required: ['id', 'tenant', 'kind', 'name', 'version', 'rollbackOf', 'rolledBackBy', 'group', 'createdAt', 'createdBy', 'counts', 'rigs']
} as const

const tenantParams = { type: 'object', properties: { tenant: ID }, required: ['tenant'] } as const
const groupSchema = { type: 'object', properties: { name: { type: 'string' }, rigs: { type: 'array', items: { type: 'string' } } }, required: ['name', 'rigs'] } as const
const groupParams = { type: 'object', properties: { tenant: ID, group: ID }, required: ['tenant', 'group'] } as const
const rolloutParams = { type: 'object', properties: { tenant: ID, id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } }, required: ['tenant', 'id'] } as const

export async function rolloutRoutes (app: FastifyInstance, o: RolloutRoutesOptions): Promise<void> {
  const { rollouts } = o

  app.post<{ Params: { tenant: string }, Body: { name: string, version: string, rigs?: string[], group?: string } }>('/tenants/:tenant/rollouts', {
    config: { role: 'admin', summary: 'Roll a model version out to a list of rigs or a rig group (publishes the model command to each)' },
    schema: {
      params: tenantParams,
      body: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
          version: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$' },
          rigs: { type: 'array', items: ID, minItems: 1, maxItems: MAX_ROLLOUT_RIGS },
          group: { ...ID, description: 'a rig group of the tenant (instead of rigs)' }
        },
        required: ['name', 'version'],
        additionalProperties: false
      },
      response: { 201: rolloutSchema, ...errors, 503: { $ref: 'rs.error#' } }
    }
  }, async (req, reply) => {
    const { tenant } = req.params
    const r = await rollouts.start(tenant, req.body, req.principal.subject)
    await appendAudit(o.pool, { actor: req.principal.subject, tenant, action: 'model.rollout', target: `rollout:${r.id}`, detail: { name: r.name, version: r.version, group: r.group, rigs: r.rigs.map(x => x.rig) } })
    req.log.info({ tenant, rollout: r.id, name: r.name, version: r.version, rigs: r.rigs.length }, 'rollout started')
    return reply.code(201).send(r)
  })

  app.get<{ Params: { tenant: string }, Querystring: { limit: number } }>('/tenants/:tenant/rollouts', {
    config: { role: 'admin', summary: "A tenant's rollouts, newest first, each with its rigs' status" },
    schema: {
      params: tenantParams,
      querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
      response: { 200: { type: 'object', properties: { rollouts: { type: 'array', items: rolloutSchema } }, required: ['rollouts'] }, ...errors }
    }
  }, async req => ({ rollouts: await rollouts.list(req.params.tenant, req.query.limit) }))

  app.get<{ Params: { tenant: string, id: number } }>('/tenants/:tenant/rollouts/:id', {
    config: { role: 'admin', summary: 'One rollout with each rig\'s status' },
    schema: { params: rolloutParams, response: { 200: rolloutSchema, ...errors } }
  }, async req => {
    const r = await rollouts.get(req.params.tenant, req.params.id)
    if (!r) throw rsError('RS_ERR_NOT_FOUND', `rollout ${req.params.id} in tenant ${req.params.tenant}`)
    return r
  })

  app.post<{ Params: { tenant: string, id: number } }>('/tenants/:tenant/rollouts/:id/rollback', {
    config: { role: 'admin', summary: 'Roll back a rollout: each of its rigs is sent the version it ran before' },
    schema: { params: rolloutParams, response: { 201: rolloutSchema, ...errors, 409: { $ref: 'rs.error#' }, 503: { $ref: 'rs.error#' } } }
  }, async (req, reply) => {
    const { tenant, id } = req.params
    const r = await rollouts.rollback(tenant, id, req.principal.subject)
    await appendAudit(o.pool, { actor: req.principal.subject, tenant, action: 'model.rollback', target: `rollout:${id}`, detail: { rollback: r.id, name: r.name, version: r.version, rigs: r.rigs.map(x => ({ rig: x.rig, to: x.targetVersion, status: x.status })) } })
    req.log.info({ tenant, rollout: id, rollback: r.id }, 'rollout rolled back')
    return reply.code(201).send(r)
  })

  app.get<{ Params: { tenant: string } }>('/tenants/:tenant/model-versions', {
    config: { summary: "Each rig's last reported model version (command replies, else edge predictions)" },
    schema: {
      params: tenantParams,
      response: {
        200: {
          type: 'object',
          properties: { rigs: { type: 'array', items: { type: 'object', properties: { rig: { type: 'string' }, version: NULLABLE, updatedAt: NULLABLE }, required: ['rig', 'version', 'updatedAt'] } } },
          required: ['rigs']
        },
        ...errors
      }
    }
  }, async req => ({ rigs: await rollouts.rigVersions(req.params.tenant) }))

  app.get<{ Params: { tenant: string } }>('/tenants/:tenant/rig-groups', {
    config: { summary: "A tenant's named rig groups (targets of rollouts)" },
    schema: { params: tenantParams, response: { 200: { type: 'object', properties: { groups: { type: 'array', items: groupSchema } }, required: ['groups'] }, ...errors } }
  }, async req => ({ groups: await rollouts.groups(req.params.tenant) }))

  app.put<{ Params: { tenant: string, group: string }, Body: { rigs: string[] } }>('/tenants/:tenant/rig-groups/:group', {
    config: { role: 'admin', summary: 'Set the rigs of a rig group (created when missing)' },
    schema: {
      params: groupParams,
      body: { type: 'object', properties: { rigs: { type: 'array', items: ID, minItems: 1, maxItems: MAX_ROLLOUT_RIGS } }, required: ['rigs'], additionalProperties: false },
      response: { 200: groupSchema, ...errors }
    }
  }, async req => {
    const { tenant, group } = req.params
    const g = await rollouts.setGroup(tenant, group, req.body.rigs)
    await appendAudit(o.pool, { actor: req.principal.subject, tenant, action: 'rig-group.set', target: `rig-group:${group}`, detail: { rigs: g.rigs } })
    return g
  })

  app.delete<{ Params: { tenant: string, group: string } }>('/tenants/:tenant/rig-groups/:group', {
    config: { role: 'admin', summary: 'Remove a rig group (its rigs and past rollouts stay)' },
    schema: { params: groupParams, response: { 204: { type: 'null' }, ...errors } }
  }, async (req, reply) => {
    const { tenant, group } = req.params
    if (!(await rollouts.deleteGroup(tenant, group))) throw rsError('RS_ERR_NOT_FOUND', `rig group ${group} in tenant ${tenant}`)
    await appendAudit(o.pool, { actor: req.principal.subject, tenant, action: 'rig-group.delete', target: `rig-group:${group}` })
    return reply.code(204).send()
  })
}
