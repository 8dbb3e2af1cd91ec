/**
 * Token buckets keyed by caller (user, or client address before login): `burst` tokens, refilled
 * at `perSecond`. Buckets that are full again are swept, so idle callers cost nothing; the map is
 * also capped (oldest dropped first) so a flood of addresses cannot grow it without bound.
 */
export interface RateLimit { burst: number, perSecond: number }

interface Bucket { tokens: number, at: number }

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>()
  #lastSweep = 0

  constructor (readonly limit: RateLimit, readonly maxKeys = 100_000, private readonly now: () => number = Date.now) {
    if (!(limit.burst >= 1) || !(limit.perSecond >= 0)) throw new RangeError('rate limit needs burst >= 1 and perSecond >= 0')
  }

  /** Takes one token for `key`: 0 when allowed, else the seconds until the next token. */
  take (key: string): number {
    const t = this.now()
    this.#sweep(t)
    let b = this.#buckets.get(key)
    if (!b) {
      if (this.#buckets.size >= this.maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!)
      b = { tokens: this.limit.burst, at: t }
      this.#buckets.set(key, b)
    } else {
      b.tokens = Math.min(this.limit.burst, b.tokens + (t - b.at) / 1000 * this.limit.perSecond)
      b.at = t
    }
    if (b.tokens >= 1) { b.tokens -= 1; return 0 }
    return this.limit.perSecond > 0 ? Math.ceil((1 - b.tokens) / this.limit.perSecond) : Infinity
  }

  get size (): number { return this.#buckets.size }

  #sweep (t: number): void {
    if (t - this.#lastSweep < 60_000) return
    this.#lastSweep = t
    const fullAfterMs = this.limit.perSecond > 0 ? this.limit.burst / this.limit.perSecond * 1000 : Infinity
    for (const [k, b] of this.#buckets) if (t - b.at >= fullAfterMs) this.#buckets.delete(k)
  }
}
