// Exact sums of PostgreSQL's `(x::float8)::numeric` values, in JavaScript.
// The rollups keep sum(mean * n) as numeric so a bucket's sum does not depend on how its rows were
// grouped or in which order they came (and so the plain path, the TimescaleDB path and every
// flush agree to the last digit). The rollup flush adds its frames up in ingest before sending one
// row per bucket; these helpers make that sum the one PostgreSQL would have computed:
//  - float8 -> numeric in PostgreSQL prints the double with 15 significant digits (%.15g: DBL_DIG,
//    trailing zeros dropped) and reads that back, so the numeric's display scale is the number of
//    digits after the point in that text; JavaScript's toExponential(14) rounds the same way
//    except on an exact tie (it rounds ties up, glibc to even), which float8Numeric detects;
//  - numeric addition is exact, and the sum's display scale is the largest of its terms'.

/** A decimal value as integer digits and a scale: value = digits / 10^scale, scale >= 0. */
export interface Decimal { digits: bigint, scale: number }

const TEN = 10n

const bits = new DataView(new ArrayBuffer(8))

/**
 * `(v::float8)::numeric` as PostgreSQL computes it; throws on NaN or infinities (validation rejects
 * those). The double's exact decimal value is rounded to 15 significant digits with ties to even,
 * as glibc's printf does (JavaScript's toPrecision rounds ties up: 2229.636962890625 must give
 * 2229.63696289062), then trailing zeros after the point are dropped.
 */
export function float8Numeric (v: number): Decimal {
  if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`)
  if (v === 0) return { digits: 0n, scale: 0 }
  // fast path: toExponential(14) (15 significant digits) is correctly rounded except on an exact
  // tie, possible only when the double's exact decimal expansion has 16 significant digits (or it
  // is an integer of 16 digits or more): the exact path decides those
  const neg = v < 0
  const a = neg ? -v : v
  if (mayTie(a)) return exact(v)
  const t = a.toExponential(14) // d.dddddddddddddde±x
  let n = Number(t.slice(0, 1) + t.slice(2, 16)) // the 15 digits, an integer below 2^53
  let exp = Number(t.slice(17)) - 14 // value = n * 10^exp
  while (exp < 0 && n % 10 === 0) { n /= 10; exp++ }
  let digits = BigInt(n)
  if (exp > 0) { digits *= pow10(exp); exp = 0 }
  return { digits: neg ? -digits : digits, scale: -exp }
}

/** Could the exact decimal expansion of a (> 0) round with a tie at 15 significant digits? */
function mayTie (a: number): boolean {
  if (a >= 1e15) return true
  bits.setFloat64(0, a)
  const hi = bits.getUint32(0)
  const lo = bits.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  if (biased === 0) return true // subnormal: let the exact path handle it
  // trailing zero bits of the 53-bit significand
  const top = (hi & 0xfffff) | 0x100000 // with the implicit bit: never 0
  const tz = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 32 + 31 - Math.clz32(top & -top)
  const e = biased - 1075 + tz // a = odd * 2^e
  if (e >= 0) return false // an integer below 1e15: 15 digits are exact
  // -e digits after the point, the last one a 5; significant digits = those + the integer part's digits
  const sig = -e + Math.floor(Math.log10(a)) + 1
  return sig >= 15 && sig <= 17
}

const POW10: bigint[] = [1n]
function pow10 (k: number): bigint {
  while (POW10.length <= k) POW10.push(POW10[POW10.length - 1] * TEN)
  return POW10[k]
}

/** The exact decimal value of the double, rounded to 15 significant digits, ties to even. */
function exact (v: number): Decimal {
  bits.setFloat64(0, v)
  const hi = bits.getUint32(0)
  const lo = bits.getUint32(4)
  const neg = hi >>> 31 === 1
  const biased = (hi >>> 20) & 0x7ff
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e: number
  if (biased === 0) e = -1074 // subnormal
  else { m |= 1n << 52n; e = biased - 1075 }
  // exact value = m * 2^e = digits / 10^scale
  let digits: bigint
  let scale: number
  if (e >= 0) { digits = m << BigInt(e); scale = 0 } else { digits = m * 5n ** BigInt(-e); scale = -e }
  const len = digits.toString().length
  if (len > 15) {
    const drop = len - 15
    const p = pow10(drop)
    let q = digits / p
    const r = digits % p
    const half = p / 2n
    if (r > half || (r === half && (q & 1n) === 1n)) q += 1n
    digits = q
    scale -= drop
  }
  // value = digits * 10^-scale; no negative scale, and no trailing zeros after the point
  if (scale < 0) { digits *= pow10(-scale); scale = 0 }
  while (scale > 0 && digits % TEN === 0n) { digits /= TEN; scale-- }
  return { digits: neg ? -digits : digits, scale }
}

/** a + b, exact; the scale is the larger of the two (as numeric addition). */
export function addDecimal (a: Decimal, b: Decimal): Decimal {
  if (a.scale === b.scale) return { digits: a.digits + b.digits, scale: a.scale }
  if (a.scale > b.scale) return { digits: a.digits + b.digits * pow10(a.scale - b.scale), scale: a.scale }
  return { digits: a.digits * pow10(b.scale - a.scale) + b.digits, scale: b.scale }
}

/** numeric input text with exactly `scale` digits after the point (numeric_in keeps that scale). */
export function decimalText (d: Decimal): string {
  const neg = d.digits < 0n
  let s = (neg ? -d.digits : d.digits).toString()
  if (d.scale > 0) {
    if (s.length <= d.scale) s = '0'.repeat(d.scale - s.length + 1) + s
    s = s.slice(0, s.length - d.scale) + '.' + s.slice(s.length - d.scale)
  }
  return neg ? '-' + s : s
}
