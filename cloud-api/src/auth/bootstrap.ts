// First accounts: a tenant and its admin (the `npm start` demo), or a platform admin, created once
// with a random password that is returned to the caller to print once. Audited as actor 'bootstrap'.
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import type { CredentialStore } from '../../../broker/src/credentials.js'
import type { ApiAuthOptions } from './index.js'
import { AuthStore } from './store.js'
import { appendAudit } from './audit.js'

export interface BootstrapResult {
  username: string
  tenant: string | null
  /** set only when the account was created now; the only time it is ever shown */
  password?: string
}

/**
 * Makes sure `tenant` (unless null: a platform account) and `username` exist. An existing user is
 * left as it is (its password is not changed and not returned).
 */
export async function ensureAdmin (pool: pg.Pool, o: { tenant: string | null, username: string, tenantName?: string }): Promise<BootstrapResult> {
  const store = new AuthStore(pool)
  const c = await pool.connect()
  try {
    await c.query('BEGIN')
    // one bootstrap at a time (several processes may start together)
    await c.query('SELECT pg_advisory_xact_lock(7305114091)')
    if (o.tenant !== null && (await c.query('SELECT 1 FROM tenants WHERE id = $1', [o.tenant])).rowCount === 0) {
      await store.createTenant(o.tenant, o.tenantName ?? o.tenant, c)
      await appendAudit(c, { actor: 'bootstrap', tenant: o.tenant, action: 'tenant.create', target: `tenant:${o.tenant}`, detail: { name: o.tenantName ?? o.tenant } })
    }
    let password: string | undefined
    if ((await c.query('SELECT 1 FROM users WHERE username = $1', [o.username])).rowCount === 0) {
      password = randomBytes(18).toString('base64url')
      await store.createUser({ username: o.username, tenant: o.tenant, role: 'admin', password }, c)
      await appendAudit(c, { actor: 'bootstrap', tenant: o.tenant, action: 'user.create', target: `user:${o.username}`, detail: { role: 'admin' } })
    }
    await c.query('COMMIT')
    return { username: o.username, tenant: o.tenant, password }
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    c.release()
  }
}

/**
 * Auth for the embedded demo (`npm start`): tenant `tenant` with an admin `username`, a JWT key
 * made for this run (tokens end with the process), and the broker's own credential store so a
 * rotated device secret is refused by the broker at once. Print `admin.password` once when set.
 */
export async function demoAuth (pool: pg.Pool, credentials: CredentialStore, o: { tenant: string, username?: string, mqttUrl?: string }): Promise<{ auth: ApiAuthOptions, admin: BootstrapResult }> {
  const admin = await ensureAdmin(pool, { tenant: o.tenant, username: o.username ?? 'admin' })
  return { auth: { pool, jwtSecret: randomBytes(32), credentials, mqttUrl: o.mqttUrl }, admin }
}
