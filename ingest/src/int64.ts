/**
 * protobufjs decodes int64/uint64 fields to `Long` objects when the `long` package is installed
 * (it is: a dependency of protobufjs), even though the generated typings say `number`. Every
 * 64-bit field read from a decoded message goes through here.
 */
interface LongLike { low: number, high: number, unsigned?: boolean, toNumber?: () => number }

/** The value as a JS number, or null when it is not an integer or not exactly representable. */
export function int64ToNumber (v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null
  if (v !== null && typeof v === 'object' && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number') {
    const l = v as LongLike
    const n = typeof l.toNumber === 'function'
      ? l.toNumber()
      : (l.unsigned === true ? l.high >>> 0 : l.high) * 4294967296 + (l.low >>> 0)
    return Number.isSafeInteger(n) ? n : null
  }
  if (v === undefined || v === null) return 0
  return null
}
