/**
 * Auth of cloud-api, switched on by ApiOptions.auth: JWT bearer tokens for operators (roles viewer,
 * operator, admin), tenant isolation on every route and WebSocket subscription, rate limits, and
 * the audited admin routes (tenants, users, devices, audit). Without it the API is open (the first
 * version's behaviour, still used by tests that do not exercise auth).
 */
import type { FastifyInstance } from 'fastify'
import type pg from 'pg'
import { PgCredentialStore, type CredentialStore } from '../../../broker/src/credentials.js'
import { checkSecret } from './jwt.js'
import { installGuard } from './guard.js'
import { AuthStore } from './store.js'
import { AccountCheck } from './accounts.js'
import type { RateLimit } from './rate-limit.js'
import { authRoutes } from '../http/routes/auth.js'
import { tenantRoutes } from '../http/routes/tenants.js'
import { deviceRoutes } from '../http/routes/devices.js'
import { auditRoutes } from '../http/routes/audit.js'
import type { ApiMetrics } from '../metrics.js'
import type { Principal } from '../live/authorize.js'

export interface ApiAuthOptions {
  /** database with migration 090 applied (tenants, users, audit_log) and mqtt_credentials */
  pool: pg.Pool
  /** HS256 key, at least 32 bytes */
  jwtSecret: string | Buffer
  /** token lifetime (default 3600 s) */
  tokenTtlS?: number
  /** device credentials issued by POST /rigs/:tenant/:rig/device (default a PgCredentialStore on pool) */
  credentials?: CredentialStore
  /** per user (or client address before login) on /api and /ws (default burst 200, 50/s); false = none */
  rateLimit?: RateLimit | false
  /** login attempts per client address and per username (default burst 10, one per 5 s); false = none */
  loginRateLimit?: RateLimit | false
  /** broker URL handed to provisioned devices */
  mqttUrl?: string
}

export const DEFAULT_RATE_LIMIT: RateLimit = Object.freeze({ burst: 200, perSecond: 50 })
export const DEFAULT_LOGIN_RATE_LIMIT: RateLimit = Object.freeze({ burst: 10, perSecond: 0.2 })
export const DEFAULT_TOKEN_TTL_S = 3600

export interface AuthSetup {
  /** registers the admin routes on the /api/v1 plugin */
  routes (api: FastifyInstance): Promise<void>
  /** null while the account behind a live socket's principal still matches its token, else why
   * not (disabled, removed, role or tenant changed); cached like every request's check */
  recheck (p: Principal): Promise<string | null>
  /** `fn(username)` after a user is changed through this process (the live sockets recheck at once) */
  onUserChanged (fn: (username: string) => void): void
}

/** Checks the options, installs the guard hooks on the root `app`, prepares the routes. */
export async function setupAuth (app: FastifyInstance, o: ApiAuthOptions, metrics: ApiMetrics): Promise<AuthSetup> {
  const secret = typeof o.jwtSecret === 'string' ? Buffer.from(o.jwtSecret, 'utf8') : o.jwtSecret
  checkSecret(secret)
  const tokenTtlS = o.tokenTtlS ?? DEFAULT_TOKEN_TTL_S
  let credentials = o.credentials
  if (!credentials) {
    const pgStore = new PgCredentialStore(o.pool)
    await pgStore.migrate()
    credentials = pgStore
  }
  const rateLimit = o.rateLimit ?? DEFAULT_RATE_LIMIT
  const store = new AuthStore(o.pool)
  const accounts = new AccountCheck(store)
  installGuard(app, {
    accounts,
    secret,
    rateLimit,
    onAuthFailure: reason => metrics.authFailures.inc({ reason: reason.replace(/[^a-z ]/gi, '').slice(0, 40) }),
    onRateLimited: () => metrics.rateLimited.inc()
  })
  const creds = credentials
  const changed = new Set<(username: string) => void>()
  return {
    async recheck (p) {
      if (p.role === undefined) return null
      const tid = p.tenants === '*' ? '*' : p.tenants[0]
      return await accounts.mismatch({ sub: p.subject, tid, role: p.role, ver: p.tokenEpoch })
    },
    onUserChanged (fn) { changed.add(fn) },
    async routes (api) {
      await api.register(authRoutes, {
        store,
        secret,
        tokenTtlS,
        loginLimit: o.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT,
        onLoginFailure: () => metrics.authFailures.inc({ reason: 'login refused' }),
        onRateLimited: () => metrics.rateLimited.inc()
      })
      await api.register(tenantRoutes, { store, onUserChanged: u => { accounts.forget(u); for (const fn of changed) fn(u) } })
      await api.register(deviceRoutes, { store, credentials: creds, mqttUrl: o.mqttUrl })
      await api.register(auditRoutes, { pool: o.pool })
    }
  }
}
