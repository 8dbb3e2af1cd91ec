// A short-lived cache of SUCCESSFUL credential verifications.
//
// scrypt is slow on purpose (secret-hash.ts). When a broker restarts, or a network blip drops
// every device at once, all of them reconnect within seconds; without a cache each reconnect
// pays a full scrypt and the CPU is pinned. So a successful verification is remembered for
// `ttlMs`, keyed by username + SHA-256 of the presented password: a later CONNECT with the same
// pair is answered from memory, a different password still goes through scrypt. Concurrent
// verifications of the same pair share one scrypt. Failures are never cached (a wrong password
// costs a full scrypt every time, which is the point of a slow hash).
//
// Holding SHA-256(password) in memory is acceptable: provisioned secrets carry 192 bits of
// randomness, so a fast hash of one cannot be reversed by guessing. put()/remove() on the same
// store drop the username's entries at once; a change made by ANOTHER process (a second broker,
// the provision command) is seen after at most `ttlMs`.
import { createHash } from 'node:crypto'
import type { Principal } from './principal.js'

export interface VerifyCacheOptions {
  /** how long a successful verification is remembered; 0 turns the cache off. Default 60 s. */
  ttlMs?: number
  /** most entries held; the oldest go first. Default 10 000. */
  max?: number
  /** clock, for tests */
  now?: () => number
}

interface Entry { principal: Principal, expires: number }

export class VerifyCache {
  readonly #ttlMs: number
  readonly #max: number
  readonly #now: () => number
  readonly #hits = new Map<string, Entry>()
  readonly #inflight = new Map<string, Promise<Principal | null>>()
  // bumped by every put/remove: a verification that started before a change must not cache its result
  #epoch = 0

  constructor (opts: VerifyCacheOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? 60_000
    this.#max = opts.max ?? 10_000
    this.#now = opts.now ?? Date.now
  }

  /** Answers from the cache when it can, else runs `slow` once for all concurrent callers. */
  verify (username: string, password: Buffer | string, slow: () => Promise<Principal | null>): Promise<Principal | null> {
    if (this.#ttlMs <= 0) return slow()
    const key = cacheKey(username, password)
    const hit = this.#hits.get(key)
    if (hit) {
      if (hit.expires > this.#now()) return Promise.resolve(hit.principal)
      this.#hits.delete(key)
    }
    const pending = this.#inflight.get(key)
    if (pending) return pending
    const epoch = this.#epoch
    const run = slow().then(principal => {
      if (principal && epoch === this.#epoch) this.#remember(key, principal)
      return principal
    }).finally(() => { this.#inflight.delete(key) })
    this.#inflight.set(key, run)
    return run
  }

  /** Forgets every entry of `username` (its secret or principal changed). */
  forget (username: string): void {
    this.#epoch++
    const prefix = username + '\u0000'
    for (const key of this.#hits.keys()) if (key.startsWith(prefix)) this.#hits.delete(key)
    for (const key of this.#inflight.keys()) if (key.startsWith(prefix)) this.#inflight.delete(key)
  }

  get size (): number { return this.#hits.size }

  #remember (key: string, principal: Principal): void {
    this.#hits.delete(key)
    while (this.#hits.size >= this.#max) {
      const oldest = this.#hits.keys().next().value
      if (oldest === undefined) break
      this.#hits.delete(oldest)
    }
    this.#hits.set(key, { principal, expires: this.#now() + this.#ttlMs })
  }
}

// MQTT usernames cannot contain U+0000 [MQTT-1.5.3-2], so it separates the two parts unambiguously.
function cacheKey (username: string, password: Buffer | string): string {
  return username + '\u0000' + createHash('sha256').update(password).digest('base64url')
}
