// In-process credential store: for the embedded all-in-one process and for tests.
import type { CredentialStore } from './credentials.js'
import { assertPuttable } from './store-input.js'
import { type Principal, freezePrincipal } from './principal.js'
import { hashSecret, verifySecret, verifyAgainstDummy } from './secret-hash.js'
import { VerifyCache, type VerifyCacheOptions } from './verify-cache.js'

interface Row { principal: Principal, hash: string }

export class MemoryCredentialStore implements CredentialStore {
  readonly #rows = new Map<string, Row>()
  readonly #cache: VerifyCache

  constructor (opts: { cache?: VerifyCacheOptions } = {}) {
    this.#cache = new VerifyCache(opts.cache)
  }

  verify (username: string, password: Buffer | string): Promise<Principal | null> {
    if (password.length === 0) return Promise.resolve(null)
    return this.#cache.verify(username, password, async () => {
      const row = this.#rows.get(username)
      if (!row) return verifyAgainstDummy(password).then(() => null)
      return (await verifySecret(password, row.hash)) ? row.principal : null
    })
  }

  async put (username: string, principal: Principal, password: string): Promise<void> {
    assertPuttable(username, principal, password)
    const hash = await hashSecret(password)
    this.#rows.set(username, { principal: freezePrincipal(principal), hash })
    this.#cache.forget(username)
  }

  async remove (username: string): Promise<void> {
    this.#rows.delete(username)
    this.#cache.forget(username)
  }
}
