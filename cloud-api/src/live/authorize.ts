/**
 * Who is on the other end of a WebSocket and what they may watch.
 *
 * AUTH NOTE (issue 7): today every socket gets ANONYMOUS, which may watch every tenant. Issue 7
 * builds the Principal from the JWT at upgrade time (ApiOptions.authenticateSocket) and the
 * default authorizer below then already enforces tenant isolation on subscribe and on the
 * 'rigs' broadcast; roles can be added to Principal without touching the handlers.
 */
import type { FastifyRequest } from 'fastify'

export interface Principal {
  subject: string
  /** tenants this principal may read; '*' = all (service accounts, the anonymous first version) */
  tenants: '*' | readonly string[]
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
