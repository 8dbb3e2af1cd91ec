/**
 * Who is calling, and may they: the hooks every request passes through when auth is on.
 *
 * onRequest    token -> req.principal (Authorization: Bearer, or ?access_token= on /ws only, since
 *              browsers cannot set headers on a WebSocket); refuses a missing or bad token with
 *              401 unless the route is public; then takes a token from the caller's bucket
 *              (user, or address when anonymous) and refuses with 429 when it is empty.
 * preHandler   tenant isolation in one place: any route with a :tenant path parameter or a
 *              ?tenant= query is refused with 403 unless the principal may read that tenant;
 *              then the route's required role (config.role) and platform-only routes (config.platform).
 * Routes that list across tenants (GET /rigs) filter by req.principal themselves.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { rsError } from '../../../common/src/errors.js'
import { ANONYMOUS, canReadTenant, type Principal } from '../live/authorize.js'
import { verifyToken, type Role, type TokenClaims } from './jwt.js'
import { TokenBuckets, type RateLimit } from './rate-limit.js'
import type { AccountCheck } from './accounts.js'

declare module 'fastify' {
  interface FastifyRequest { principal: Principal }
  interface FastifyContextConfig {
    /** reachable without a token */
    public?: boolean
    /** least role the route needs (viewer < operator < admin) */
    role?: Role
    /** only platform accounts (tenant '*') */
    platform?: boolean
    /** one line for the OpenAPI document (http/openapi.ts) */
    summary?: string
  }
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 }

export function hasRole (p: Principal, least: Role): boolean {
  return p.role !== undefined && RANK[p.role] >= RANK[least]
}

export function principalOf (c: TokenClaims): Principal {
  return Object.freeze({ subject: c.sub, tenants: c.tid === '*' ? '*' : Object.freeze([c.tid]), role: c.role, expiresAtMs: c.exp * 1000, tokenEpoch: c.ver })
}

export function isPlatform (p: Principal): boolean {
  return p.tenants === '*'
}

/** Routes reachable without a token when auth is on, besides those with config.public. */
const PUBLIC_PREFIXES = ['/api/v1/models/']

function isPublic (req: FastifyRequest): boolean {
  if (req.routeOptions.config.public === true) return true
  const url = req.routeOptions.url
  if (url === undefined) return true // no route: the 404 handler answers, it reveals nothing
  if (!url.startsWith('/api/') && url !== '/ws') return true // the dashboard's static files and /metrics
  return PUBLIC_PREFIXES.some(p => url.startsWith(p))
}

function bearer (req: FastifyRequest): string | null {
  const h = req.headers.authorization
  if (typeof h === 'string') {
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(h.trim())
    if (!m) throw rsError('RS_ERR_AUTH', 'Authorization must be "Bearer <token>"')
    return m[1]
  }
  if (req.routeOptions.url === '/ws') {
    const q = (req.query as Record<string, unknown> | undefined)?.access_token
    if (typeof q === 'string' && q.length > 0) return q
  }
  return null
}

export interface GuardOptions {
  secret: Buffer
  /** per caller; false = no limit */
  rateLimit: RateLimit | false
  onAuthFailure?: (reason: string) => void
  onRateLimited?: () => void
  /** checks that the token's account is still enabled and unchanged */
  accounts?: AccountCheck
}

/** Every request starts as ANONYMOUS (all tenants): what the API is without auth. */
export function installPrincipal (app: FastifyInstance): void {
  app.decorateRequest('principal', null as unknown as Principal)
  app.addHook('onRequest', async req => { req.principal = ANONYMOUS })
}

/** Installs the hooks on `app` (the root instance, so /ws is covered too), after installPrincipal. */
export function installGuard (app: FastifyInstance, o: GuardOptions): void {
  const buckets = o.rateLimit ? new TokenBuckets(o.rateLimit) : null

  app.addHook('onRequest', async (req, reply) => {
    let principal: Principal | null = null
    let token: string | null
    try {
      token = bearer(req)
      if (token) {
        const claims = verifyToken(o.secret, token)
        const why = o.accounts ? await o.accounts.mismatch(claims) : null
        if (why) throw rsError('RS_ERR_AUTH', why)
        principal = principalOf(claims)
      }
    } catch (err) {
      o.onAuthFailure?.((err as { detail?: string }).detail ?? 'bad token')
      throw err
    }
    if (principal) req.principal = principal
    else if (!isPublic(req)) {
      o.onAuthFailure?.('missing token')
      throw rsError('RS_ERR_AUTH', 'this route needs a token (POST /api/v1/auth/login)')
    }
    if (buckets && (req.routeOptions.url?.startsWith('/api/') === true || req.routeOptions.url === '/ws')) {
      const wait = buckets.take(principal ? `u:${principal.subject}` : `ip:${req.ip}`)
      if (wait > 0) {
        o.onRateLimited?.()
        if (Number.isFinite(wait)) reply.header('retry-after', String(wait))
        throw rsError('RS_ERR_LIMIT', `too many requests; retry in ${Number.isFinite(wait) ? wait : 'a while'} s`)
      }
    }
  })

  app.addHook('preHandler', async req => {
    const p = req.principal
    const params = req.params as Record<string, unknown> | undefined
    const query = req.query as Record<string, unknown> | undefined
    for (const t of [params?.tenant, query?.tenant]) {
      if (typeof t === 'string' && !canReadTenant(p, t)) throw rsError('RS_ERR_FORBIDDEN', `tenant ${t} is not yours`)
    }
    const cfg = req.routeOptions.config
    if (cfg.platform && !(isPlatform(p) && hasRole(p, 'admin'))) throw rsError('RS_ERR_FORBIDDEN', 'only a platform admin may do this')
    // reading needs a viewer, changing anything an operator, unless the route asks for more
    const least: Role = cfg.role ?? (req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'operator')
    if (!isPublic(req) && !hasRole(p, least)) throw rsError('RS_ERR_FORBIDDEN', `this needs the ${least} role`)
  })
}
