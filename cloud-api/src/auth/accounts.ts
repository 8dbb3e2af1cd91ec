/**
 * Is the account behind a token still what the token says? A token is signed once and valid until
 * it expires; this makes disabling a user, or changing its role or tenant, take effect on its
 * next request instead of at expiry, and for good: the token carries the account's epoch at issue
 * (claim `ver`), which every change moves on, so re-enabling the account or giving it its old
 * role back does not bring old tokens back. Answers are cached for `ttlMs` (default 5 s) so a busy user
 * costs one indexed lookup per few seconds; changes made through this process forget() the
 * username at once, changes made by another api process are seen within ttlMs.
 */
import type { TokenClaims } from './jwt.js'
import type { AuthStore } from './store.js'

interface Entry { tenant: string, role: string, active: boolean, epoch: number, at: number }

export class AccountCheck {
  readonly #cache = new Map<string, Entry>()

  constructor (private readonly store: AuthStore, private readonly ttlMs = 5000, private readonly maxEntries = 10_000) {}

  /** null when the account still matches the token, else why not */
  async mismatch (c: Pick<TokenClaims, 'sub' | 'tid' | 'role' | 'ver'>): Promise<string | null> {
    const now = Date.now()
    let e = this.#cache.get(c.sub)
    if (!e || now - e.at > this.ttlMs) {
      const u = await this.store.getUser(c.sub)
      e = { tenant: u?.tenant ?? '*', role: u?.role ?? '', active: u !== null && !u.disabled, epoch: u?.tokenEpoch ?? -1, at: now }
      if (u === null) e.tenant = ''
      if (this.#cache.size >= this.maxEntries) this.#cache.delete(this.#cache.keys().next().value!)
      this.#cache.set(c.sub, e)
    }
    if (!e.active) return 'account is disabled or removed'
    if (e.tenant !== c.tid || e.role !== c.role || c.ver !== e.epoch) return 'account changed since the token was issued; log in again'
    return null
  }

  forget (username: string): void { this.#cache.delete(username) }
}
