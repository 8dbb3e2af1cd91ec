/**
 * Who is on the other end of a WebSocket and what they may watch.
 *
 * Without auth (no ApiOptions.auth) every socket gets ANONYMOUS, which may watch every tenant.
 * With auth, cloud-api/src/auth/guard.ts builds the Principal from the JWT at upgrade time and the
 * default authorizer below enforces tenant isolation on subscribe and on the 'rigs' broadcast.
 */
import type { FastifyRequest } from 'fastify'
import type { Role } from '../auth/jwt.js'

export interface Principal {
  subject: string
  /** tenants this principal may read; '*' = all (service accounts, the anonymous first version) */
  tenants: '*' | readonly string[]
  /** from the token; absent for ANONYMOUS (auth off) */
  role?: Role
  /** when the token expires (ms since the epoch): a live socket is closed then */
  expiresAtMs?: number
  /** the account's token epoch the token carries (claim `ver`), rechecked on live sockets */
  tokenEpoch?: number
}

export const ANONYMOUS: Principal = Object.freeze({ subject: 'anonymous', tenants: '*' })

export type SocketAuthenticator = (req: FastifyRequest) => Promise<Principal | null> | Principal | null

export interface AccessRequest { principal: Principal, tenant: string, rig: string, action: 'subscribe' }
export type SubscribeAuthorizer = (req: AccessRequest) => Promise<boolean> | boolean

export function canReadTenant (p: Principal, tenant: string): boolean {
  return p.tenants === '*' || p.tenants.includes(tenant)
}

export const tenantAuthorizer: SubscribeAuthorizer = ({ principal, tenant }) => canReadTenant(principal, tenant)

export const anonymousAuthenticator: SocketAuthenticator = () => ANONYMOUS
