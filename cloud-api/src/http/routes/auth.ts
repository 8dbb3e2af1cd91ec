// POST /api/v1/auth/login, GET /api/v1/auth/me — operator sign-in (JWT, HS256) and who am I.
import type { FastifyInstance } from 'fastify'
import { rsError } from '../../../../common/src/errors.js'
import type { AuthStore } from '../../auth/store.js'
import { signToken, ROLES } from '../../auth/jwt.js'
import { TokenBuckets, type RateLimit } from '../../auth/rate-limit.js'
import { USERNAME } from './tenants.js'

export interface AuthRoutesOptions {
  store: AuthStore
  secret: Buffer
  tokenTtlS: number
  /** login attempts per client address and per username; false = none */
  loginLimit: RateLimit | false
  onLoginFailure?: () => void
  onRateLimited?: () => void
}

const userBody = {
  type: 'object',
  properties: { username: { type: 'string' }, tenant: { type: 'string' }, role: { type: 'string', enum: ROLES } },
  required: ['username', 'tenant', 'role']
} as const

export async function authRoutes (app: FastifyInstance, o: AuthRoutesOptions): Promise<void> {
  const byAddress = o.loginLimit ? new TokenBuckets(o.loginLimit) : null
  const byUser = o.loginLimit ? new TokenBuckets(o.loginLimit) : null

  app.post<{ Body: { username: string, password: string } }>('/auth/login', {
    config: { public: true, summary: 'Exchange a username and password for a bearer token' },
    schema: {
      body: {
        type: 'object',
        properties: { username: USERNAME, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        required: ['username', 'password'],
        additionalProperties: false
      },
      response: {
        200: {
          type: 'object',
          properties: { token: { type: 'string' }, tokenType: { type: 'string' }, expiresAt: { type: 'string' }, user: userBody },
          required: ['token', 'tokenType', 'expiresAt', 'user']
        },
        400: { $ref: 'rs.error#' },
        401: { $ref: 'rs.error#' },
        429: { $ref: 'rs.error#' }
      }
    }
  }, async (req, reply) => {
    const { username, password } = req.body
    for (const [b, key] of [[byAddress, req.ip], [byUser, username]] as const) {
      const wait = b?.take(key) ?? 0
      if (wait > 0) {
        o.onRateLimited?.()
        if (Number.isFinite(wait)) reply.header('retry-after', String(wait))
        throw rsError('RS_ERR_LIMIT', 'too many login attempts; wait before trying again')
      }
    }
    const user = await o.store.verifyLogin(username, password)
    if (!user) {
      o.onLoginFailure?.()
      req.log.warn({ username }, 'login refused')
      throw rsError('RS_ERR_AUTH', 'wrong username or password, or the account is disabled')
    }
    const tid = user.tenant ?? '*'
    const { token, claims } = signToken(o.secret, { sub: user.username, tid, role: user.role, ver: user.tokenEpoch }, o.tokenTtlS)
    req.log.info({ username: user.username, tenant: tid, role: user.role }, 'login')
    return { token, tokenType: 'Bearer', expiresAt: new Date(claims.exp * 1000).toISOString(), user: { username: user.username, tenant: tid, role: user.role } }
  })

  app.get('/auth/me', {
    config: { summary: 'The caller, from its token' },
    schema: {
      response: {
        200: { type: 'object', properties: { ...userBody.properties, expiresAt: { type: 'string' } }, required: ['username', 'tenant', 'role', 'expiresAt'] },
        401: { $ref: 'rs.error#' }
      }
    }
  }, async req => {
    const p = req.principal
    return { username: p.subject, tenant: p.tenants === '*' ? '*' : p.tenants[0], role: p.role, expiresAt: new Date(p.expiresAtMs ?? 0).toISOString() }
  })
}
