// MQTT credentials: the store contract, its two implementations, and provisioning.
// Usernames: a device is `{tenant}/{rig}`, a service account is `svc:{name}` (principal.ts).
// Passwords are random secrets issued once at provisioning and stored only as scrypt hashes.
import { randomBytes } from 'node:crypto'
import { type Principal, usernameOf, assertValidPrincipal } from './principal.js'

export type { Principal } from './principal.js'
export { usernameOf } from './principal.js'
export { hashSecret, verifySecret } from './secret-hash.js'
export { MemoryCredentialStore } from './memory-credential-store.js'
export { PgCredentialStore } from './pg-credential-store.js'
export type { VerifyCacheOptions } from './verify-cache.js'
export { MIN_PASSWORD_LENGTH } from './store-input.js'

export interface CredentialStore {
  /** The principal when the password is right for the username, else null. Rejects only when the store is unreachable. */
  verify (username: string, password: Buffer | string): Promise<Principal | null>
  /** Creates or replaces (rotates) the credentials of `username`, which must be usernameOf(principal). */
  put (username: string, principal: Principal, password: string): Promise<void>
  /** Deletes the credentials of `username`; unknown usernames are ignored. */
  remove (username: string): Promise<void>
}

export interface IssuedCredentials { username: string, password: string }

function newSecret (): string {
  return randomBytes(24).toString('base64url')
}

/**
 * Issues (or rotates) a device's credentials. The password is returned once and stored only as a
 * hash; callers must hand it to the device and never log it.
 */
export async function provisionDevice (store: CredentialStore, tenant: string, rig: string): Promise<IssuedCredentials> {
  return issue(store, { kind: 'device', tenant, rig })
}

/** Issues (or rotates) a service account's credentials (username `svc:{name}`); same rules as provisionDevice. */
export async function provisionService (store: CredentialStore, name: string): Promise<IssuedCredentials> {
  return issue(store, { kind: 'service', name })
}

async function issue (store: CredentialStore, principal: Principal): Promise<IssuedCredentials> {
  assertValidPrincipal(principal)
  const username = usernameOf(principal)
  const password = newSecret()
  await store.put(username, principal, password)
  return { username, password }
}
