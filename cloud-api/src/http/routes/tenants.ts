// Tenants and their users. Every change is written to the audit log in the same transaction.
//   GET   /api/v1/tenants                          any user: the tenants it belongs to (platform: all)
//   POST  /api/v1/tenants                          platform admin
//   GET   /api/v1/tenants/:tenant/users            admin of the tenant
//   POST  /api/v1/tenants/:tenant/users            admin of the tenant
//   PATCH /api/v1/tenants/:tenant/users/:username  admin of the tenant (role, disabled)
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { rsError } from '../../../../common/src/errors.js'
import type { AuthStore } from '../../auth/store.js'
import { appendAudit, type AuditEntry } from '../../auth/audit.js'
import { ROLES, type Role } from '../../auth/jwt.js'
import { ID } from '../schemas.js'

export const USERNAME = { type: 'string', pattern: '^[A-Za-z0-9_.@-]{1,64}$' } as const

export interface TenantRoutesOptions {
  store: AuthStore
  /** a user's role or state changed: its tokens are re-checked at once */
  onUserChanged?: (username: string) => void
}

const tenantBody = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } },
  required: ['id', 'name', 'createdAt']
} as const

const userBody = {
  type: 'object',
  properties: { username: { type: 'string' }, tenant: { type: ['string', 'null'] }, role: { type: 'string', enum: ROLES }, disabled: { type: 'boolean' }, createdAt: { type: 'string' } },
  required: ['username', 'tenant', 'role', 'disabled', 'createdAt']
} as const

const errors = { 400: { $ref: 'rs.error#' }, 401: { $ref: 'rs.error#' }, 403: { $ref: 'rs.error#' }, 404: { $ref: 'rs.error#' }, 409: { $ref: 'rs.error#' } } as const

/** Runs `change` and appends its audit entry in one transaction: no change without its record. */
export async function audited<T> (pool: pg.Pool, change: (c: pg.PoolClient) => Promise<T>, entry: (r: T) => AuditEntry): Promise<T> {
  const c = await pool.connect().catch(err => { throw rsError('RS_ERR_DB_UNAVAILABLE', (err as Error).message, err) })
  try {
    await c.query('BEGIN')
    const r = await change(c)
    await appendAudit(c, entry(r))
    await c.query('COMMIT')
    return r
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    c.release()
  }
}

export async function tenantRoutes (app: FastifyInstance, o: TenantRoutesOptions): Promise<void> {
  const { store } = o

  app.get('/tenants', {
    config: { summary: 'Tenants the caller belongs to (platform accounts: all)' },
    schema: { response: { 200: { type: 'object', properties: { tenants: { type: 'array', items: tenantBody } }, required: ['tenants'] }, ...errors } }
  }, async req => {
    const p = req.principal
    return { tenants: await store.listTenants(p.tenants === '*' ? undefined : p.tenants) }
  })

  app.post<{ Body: { id: string, name?: string } }>('/tenants', {
    config: { platform: true, summary: 'Create a tenant (platform admin)' },
    schema: {
      body: { type: 'object', properties: { id: ID, name: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'], additionalProperties: false },
      response: { 201: tenantBody, ...errors }
    }
  }, async (req, reply) => {
    const { id, name } = req.body
    const t = await audited(store.pool, c => store.createTenant(id, name ?? id, c),
      () => ({ actor: req.principal.subject, tenant: id, action: 'tenant.create', target: `tenant:${id}`, detail: { name: name ?? id } }))
    return reply.code(201).send(t)
  })

  app.get<{ Params: { tenant: string } }>('/tenants/:tenant/users', {
    config: { role: 'admin', summary: 'Users of a tenant (admin)' },
    schema: {
      params: { type: 'object', properties: { tenant: ID }, required: ['tenant'] },
      response: { 200: { type: 'object', properties: { users: { type: 'array', items: userBody } }, required: ['users'] }, ...errors }
    }
  }, async req => ({ users: await store.listUsers(req.params.tenant) }))

  app.post<{ Params: { tenant: string }, Body: { username: string, password: string, role: Role } }>('/tenants/:tenant/users', {
    config: { role: 'admin', summary: 'Create a user in a tenant (admin)' },
    schema: {
      params: { type: 'object', properties: { tenant: ID }, required: ['tenant'] },
      body: {
        type: 'object',
        properties: { username: USERNAME, password: { type: 'string', minLength: 12, maxLength: 1024 }, role: { type: 'string', enum: ROLES } },
        required: ['username', 'password', 'role'],
        additionalProperties: false
      },
      response: { 201: userBody, ...errors }
    }
  }, async (req, reply) => {
    const { tenant } = req.params
    const { username, password, role } = req.body
    if (!(await store.tenantExists(tenant))) throw rsError('RS_ERR_NOT_FOUND', `tenant ${tenant}`)
    const u = await audited(store.pool, c => store.createUser({ username, tenant, role, password }, c),
      () => ({ actor: req.principal.subject, tenant, action: 'user.create', target: `user:${username}`, detail: { role } }))
    return reply.code(201).send(u)
  })

  app.patch<{ Params: { tenant: string, username: string }, Body: { role?: Role, disabled?: boolean } }>('/tenants/:tenant/users/:username', {
    config: { role: 'admin', summary: 'Change the role of a user or disable it (admin)' },
    schema: {
      params: { type: 'object', properties: { tenant: ID, username: USERNAME }, required: ['tenant', 'username'] },
      body: { type: 'object', properties: { role: { type: 'string', enum: ROLES }, disabled: { type: 'boolean' } }, additionalProperties: false, minProperties: 1 },
      response: { 200: userBody, ...errors }
    }
  }, async req => {
    const { tenant, username } = req.params
    if (username === req.principal.subject) throw rsError('RS_ERR_FORBIDDEN', 'an admin cannot change its own role or disable itself')
    const u = await audited(store.pool, async c => {
      const r = await store.updateUser(tenant, username, req.body, c)
      if (!r) throw rsError('RS_ERR_NOT_FOUND', `user ${username} in tenant ${tenant}`)
      return r
    }, () => ({ actor: req.principal.subject, tenant, action: 'user.update', target: `user:${username}`, detail: { ...req.body } }))
    o.onUserChanged?.(username)
    return u
  })
}
