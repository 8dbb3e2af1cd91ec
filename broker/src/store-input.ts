// What every CredentialStore.put() checks before it stores anything.
import { rsError } from '../../common/src/errors.js'
import { type Principal, usernameOf, assertValidPrincipal } from './principal.js'

/** Shortest password put() accepts; provisioned ones are 32 characters (192 random bits). */
export const MIN_PASSWORD_LENGTH = 16

/** Throws RS_ERR_CONFIG naming what is wrong with put()'s arguments. */
export function assertPuttable (username: string, principal: Principal, password: string): void {
  assertValidPrincipal(principal)
  const expected = usernameOf(principal)
  if (username !== expected) throw rsError('RS_ERR_CONFIG', `username ${JSON.stringify(username)} does not match its principal (expected ${JSON.stringify(expected)})`)
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) throw rsError('RS_ERR_CONFIG', `password must be a string of at least ${MIN_PASSWORD_LENGTH} characters`)
}
