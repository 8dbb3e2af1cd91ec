// Rigs and their device (MQTT) credentials.
//   GET    /api/v1/tenants/:tenant/devices    operator: provisioned devices, never a secret
//   POST   /api/v1/rigs/:tenant/:rig/device   operator: registers the rig and issues (or rotates) its
//                                            MQTT credentials; the password is in this response only
//   DELETE /api/v1/rigs/:tenant/:rig/device   operator: revokes them (the rig's data stays)
// The broker stores the password as an scrypt hash (broker/src/credentials.ts); it is not logged,
// not audited and not retrievable: a lost password is rotated, not recovered.
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { rsError } from '../../../../common/src/errors.js'
import { DEFAULT_PROFILE_ID, loadProfile } from '../../../../common/src/profile.js'
import { provisionDevice, type CredentialStore } from '../../../../broker/src/credentials.js'
import { rigPrefix } from '../../../../schemas/src/topics.js'
import type { AuthStore } from '../../auth/store.js'
import { appendAudit } from '../../auth/audit.js'
import { ID, rigParams } from '../schemas.js'

export interface DeviceRoutesOptions {
  store: AuthStore
  credentials: CredentialStore
  /** broker address handed to the device with its credentials, when known */
  mqttUrl?: string
}

const errors = { 400: { $ref: 'rs.error#' }, 401: { $ref: 'rs.error#' }, 403: { $ref: 'rs.error#' }, 404: { $ref: 'rs.error#' } } as const

const deviceBody = {
  type: 'object',
  properties: { tenant: { type: 'string' }, rig: { type: 'string' }, username: { type: 'string' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' } },
  required: ['tenant', 'rig', 'username', 'createdAt', 'updatedAt']
} as const

async function listDevices (pool: pg.Pool, tenant: string): Promise<Array<{ tenant: string, rig: string, username: string, createdAt: string, updatedAt: string }>> {
  const r = await pool.query<{ tenant: string, rig: string, username: string, created_at: Date, updated_at: Date }>(
    "SELECT tenant, rig, username, created_at, updated_at FROM mqtt_credentials WHERE kind = 'device' AND tenant = $1 ORDER BY rig", [tenant])
  return r.rows.map(d => ({ tenant: d.tenant, rig: d.rig, username: d.username, createdAt: d.created_at.toISOString(), updatedAt: d.updated_at.toISOString() }))
}

export async function deviceRoutes (app: FastifyInstance, o: DeviceRoutesOptions): Promise<void> {
  const { store, credentials } = o

  app.get<{ Params: { tenant: string } }>('/tenants/:tenant/devices', {
    config: { role: 'operator', summary: 'Devices with MQTT credentials in a tenant (no secrets)' },
    schema: {
      params: { type: 'object', properties: { tenant: ID }, required: ['tenant'] },
      response: { 200: { type: 'object', properties: { devices: { type: 'array', items: deviceBody } }, required: ['devices'] }, ...errors }
    }
  }, async req => ({ devices: await listDevices(store.pool, req.params.tenant) }))

  app.post<{ Params: { tenant: string, rig: string }, Body: { profile?: string } | undefined }>('/rigs/:tenant/:rig/device', {
    config: { role: 'operator', summary: 'Register a rig and issue (or rotate) its MQTT credentials; the password is returned once' },
    schema: {
      params: rigParams,
      body: { type: ['object', 'null'], properties: { profile: { type: 'string', pattern: '^[A-Za-z0-9_./-]{1,128}$' } }, additionalProperties: false },
      response: {
        201: {
          type: 'object',
          properties: {
            tenant: { type: 'string' },
            rig: { type: 'string' },
            username: { type: 'string' },
            password: { type: 'string' },
            topicPrefix: { type: 'string' },
            mqttUrl: { type: 'string' },
            rotated: { type: 'boolean' }
          },
          required: ['tenant', 'rig', 'username', 'password', 'topicPrefix', 'rotated']
        },
        ...errors
      }
    }
  }, async (req, reply) => {
    const { tenant, rig } = req.params
    const profile = req.body?.profile ?? DEFAULT_PROFILE_ID
    if (!loadProfile(profile)) throw rsError('RS_ERR_UNKNOWN_PROFILE', profile)
    if (!(await store.tenantExists(tenant))) throw rsError('RS_ERR_NOT_FOUND', `tenant ${tenant}`)
    const rotated = (await store.pool.query("SELECT 1 FROM mqtt_credentials WHERE kind = 'device' AND tenant = $1 AND rig = $2", [tenant, rig])).rowCount === 1
    await store.pool.query('INSERT INTO rigs (tenant, rig, profile) VALUES ($1, $2, $3) ON CONFLICT (tenant, rig) DO NOTHING', [tenant, rig, profile])
    const issued = await provisionDevice(credentials, tenant, rig)
    await appendAudit(store.pool, { actor: req.principal.subject, tenant, action: rotated ? 'device.rotate' : 'device.provision', target: `device:${issued.username}`, detail: { profile } })
    req.log.info({ tenant, rig, rotated }, 'device credentials issued')
    const topicPrefix = rigPrefix(tenant, rig)
    return reply.code(201).header('cache-control', 'no-store').send({ tenant, rig, username: issued.username, password: issued.password, topicPrefix, mqttUrl: o.mqttUrl, rotated })
  })

  app.delete<{ Params: { tenant: string, rig: string } }>('/rigs/:tenant/:rig/device', {
    config: { role: 'operator', summary: "Revoke a rig's MQTT credentials" },
    schema: { params: rigParams, response: { 204: { type: 'null' }, ...errors } }
  }, async (req, reply) => {
    const { tenant, rig } = req.params
    const username = `${tenant}/${rig}`
    const had = (await store.pool.query("SELECT 1 FROM mqtt_credentials WHERE kind = 'device' AND tenant = $1 AND rig = $2", [tenant, rig])).rowCount === 1
    if (!had) throw rsError('RS_ERR_NOT_FOUND', `device ${username}`)
    await credentials.remove(username)
    await appendAudit(store.pool, { actor: req.principal.subject, tenant, action: 'device.revoke', target: `device:${username}` })
    return reply.code(204).send()
  })
}
