/**
 * JSON Web Tokens, HS256 only (RFC 7519, RFC 7515), signed and verified with node:crypto.
 * The header must say alg HS256: a token with "alg":"none" or any other algorithm is refused
 * before the signature is looked at (RFC 8725 §3.1: do not let the token choose the algorithm).
 */
import { createHmac, timingSafeEqual, randomBytes } from 'node:crypto'
import { rsError } from '../../../common/src/errors.js'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = typeof ROLES[number]

export interface TokenClaims {
  /** username */
  sub: string
  /** tenant of the user; '*' = platform account (all tenants) */
  tid: string
  role: Role
  /** issued at, expires at: seconds since the epoch */
  iat: number
  exp: number
  jti: string
  /** the account's token epoch at issue (store.ts): absent on tokens of older versions */
  ver?: number
}

/** Shortest HMAC key accepted: 256 bits, the size of the HS256 output (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')

function mac (secret: Buffer, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest()
}

export function checkSecret (secret: Buffer): void {
  if (secret.length < MIN_SECRET_BYTES) throw rsError('RS_ERR_CONFIG', `the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`)
}

export function signToken (secret: Buffer, c: Omit<TokenClaims, 'iat' | 'exp' | 'jti'>, ttlS: number, nowS = Math.floor(Date.now() / 1000)): { token: string, claims: TokenClaims } {
  const claims: TokenClaims = { sub: c.sub, tid: c.tid, role: c.role, iat: nowS, exp: nowS + ttlS, jti: randomBytes(9).toString('base64url') }
  if (c.ver !== undefined) claims.ver = c.ver
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  return { token: `${body}.${mac(secret, body).toString('base64url')}`, claims }
}

/** The claims of a valid, unexpired token; throws RS_ERR_AUTH (401) naming what is wrong otherwise. */
export function verifyToken (secret: Buffer, token: string, nowS = Math.floor(Date.now() / 1000)): TokenClaims {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some(p => !/^[A-Za-z0-9_-]*$/.test(p))) throw rsError('RS_ERR_AUTH', 'token is not a JWT')
  let header: { alg?: unknown }
  try { header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) } catch { throw rsError('RS_ERR_AUTH', 'token header is not JSON') }
  if (header.alg !== 'HS256') throw rsError('RS_ERR_AUTH', 'token algorithm must be HS256')
  const want = mac(secret, `${parts[0]}.${parts[1]}`)
  const got = Buffer.from(parts[2], 'base64url')
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw rsError('RS_ERR_AUTH', 'token signature is not valid')
  let c: Partial<TokenClaims>
  try { c = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) } catch { throw rsError('RS_ERR_AUTH', 'token claims are not JSON') }
  if (typeof c.sub !== 'string' || typeof c.tid !== 'string' || !ROLES.includes(c.role as Role) || typeof c.exp !== 'number' || typeof c.iat !== 'number') {
    throw rsError('RS_ERR_AUTH', 'token claims are incomplete')
  }
  if (c.ver !== undefined && !Number.isInteger(c.ver)) throw rsError('RS_ERR_AUTH', 'token claims are incomplete')
  if (c.exp <= nowS) throw rsError('RS_ERR_AUTH', 'token has expired')
  return c as TokenClaims
}
