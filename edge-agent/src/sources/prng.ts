// Seeded pseudo-random numbers for the simulator: deterministic for a seed, cheap per sample.

/** A 32-bit state generator (xorshift followed by an odd multiply); returns uint32 values. */
export class Prng {
  private s: number

  constructor (seed: number) {
    // Mix the seed so that nearby seeds (1, 2, 3 …) start far apart; never a zero state.
    let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0
    this.s = (s ^ (s >>> 16)) >>> 0 || 0x6d2b79f5
  }

  /** next uint32 */
  u32 (): number {
    let x = this.s
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    this.s = x
    return Math.imul(x, 0x2545f491) >>> 0
  }

  /** uniform in [0, 1) */
  uniform (): number {
    return this.u32() / 4294967296
  }

  /** approximately standard normal, from a fixed table (one u32 per draw) */
  normal (): number {
    return NORMAL_TABLE[this.u32() >>> (32 - NORMAL_BITS)]
  }
}

const NORMAL_BITS = 12

/**
 * 4096 standard-normal values, built once by Box–Muller from a fixed generator and clipped to
 * ±4σ. A table lookup costs one u32 per sample instead of a log, sqrt and cos; the simulator
 * draws ~750 of these per rig-second, thousands of rigs at once in the ingest bench.
 */
export const NORMAL_TABLE: Float64Array = (() => {
  const n = 1 << NORMAL_BITS
  const t = new Float64Array(n)
  const g = new Prng(0x5eed)
  for (let i = 0; i < n; i += 2) {
    const u1 = (g.u32() + 1) / 4294967297
    const u2 = g.uniform()
    const r = Math.sqrt(-2 * Math.log(u1))
    t[i] = clip(r * Math.cos(2 * Math.PI * u2))
    t[i + 1] = clip(r * Math.sin(2 * Math.PI * u2))
  }
  return t
})()

function clip (x: number): number {
  return x > 4 ? 4 : x < -4 ? -4 : x
}
