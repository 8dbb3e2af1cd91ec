// Who is on the other end of an MQTT connection, and how that identity is spelled as a username.
import { isValidId } from '../../schemas/src/topics.js'
import { rsError } from '../../common/src/errors.js'

export type Principal =
  | { kind: 'device', tenant: string, rig: string }
  | { kind: 'service', name: string }

export const SERVICE_PREFIX = 'svc:'

/** The one MQTT username for a principal: `{tenant}/{rig}` for a device, `svc:{name}` for a service. */
export function usernameOf (p: Principal): string {
  return p.kind === 'device' ? `${p.tenant}/${p.rig}` : `${SERVICE_PREFIX}${p.name}`
}

/** Throws RS_ERR_CONFIG unless every id in the principal matches ID_PATTERN. */
export function assertValidPrincipal (p: Principal): void {
  if (p.kind === 'device') {
    if (!isValidId(p.tenant)) throw rsError('RS_ERR_CONFIG', `tenant ${JSON.stringify(p.tenant)} must be 1-64 characters of A-Z a-z 0-9 _ -`)
    if (!isValidId(p.rig)) throw rsError('RS_ERR_CONFIG', `rig ${JSON.stringify(p.rig)} must be 1-64 characters of A-Z a-z 0-9 _ -`)
  } else if (p.kind === 'service') {
    if (!isValidId(p.name)) throw rsError('RS_ERR_CONFIG', `service name ${JSON.stringify(p.name)} must be 1-64 characters of A-Z a-z 0-9 _ -`)
  } else {
    throw rsError('RS_ERR_CONFIG', `unknown principal kind ${JSON.stringify((p as { kind: unknown }).kind)}`)
  }
}

/** A frozen copy, so callers can never change what a store or a session holds. */
export function freezePrincipal (p: Principal): Principal {
  return p.kind === 'device'
    ? Object.freeze({ kind: 'device', tenant: p.tenant, rig: p.rig })
    : Object.freeze({ kind: 'service', name: p.name })
}
