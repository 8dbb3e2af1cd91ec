import { isValidId } from '../../../../schemas/src/topics.js'

/** Reads and checks the tenant and rig of a client message; returns an error detail instead when they are bad. */
export function readRigTarget (msg: Record<string, unknown>): { tenant: string, rig: string } | string {
  const { tenant, rig } = msg
  if (typeof tenant !== 'string' || !isValidId(tenant)) return `${msg.type}: "tenant" must be 1-64 characters of A-Z a-z 0-9 _ -`
  if (typeof rig !== 'string' || !isValidId(rig)) return `${msg.type}: "rig" must be 1-64 characters of A-Z a-z 0-9 _ -`
  return { tenant, rig }
}

export function rigKey (tenant: string, rig: string): string {
  return `${tenant}/${rig}`
}
