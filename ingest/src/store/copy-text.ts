// COPY ... FROM STDIN rows for frame_channels, in PostgreSQL's text format (frameChannelRows) and
// binary format (frameChannelRowsBinary, the writer's default: `npm run bench -- copy` measured it
// at about twice the text format's frames/s, docs/benchmarks.md "COPY: text or binary").
import type { AcceptedFrame } from '../validate.js'
import { usToTimestamp } from './time.js'

/** Column order of the COPY statement; keep in step with `frameChannelRows`. */
export const FRAME_CHANNEL_COLUMNS = ['rig_id', 'channel', 'start_time', 'seq', 'rate_hz', 'n', 'min', 'max', 'mean', 'samples'] as const

/**
 * A float32 value as text that PostgreSQL's float4in reads back to the same float: the shortest
 * decimal of the double (which holds the float exactly) lies within half a double ulp of it, so
 * the nearest float is the original. -0 keeps its sign; NaN/Infinity never reach here (validated).
 */
export function floatText (v: number): string {
  return v === 0 && 1 / v < 0 ? '-0' : String(v)
}

/** A real[] literal, e.g. {1.5,-0,3.4028234663852886e+38}, that reads back to the same floats. */
export function samplesText (s: readonly number[]): string {
  let arr = '{'
  for (let i = 0; i < s.length; i++) arr += (i === 0 ? '' : ',') + floatText(s[i])
  return arr + '}'
}

/** Text-format lines (one per channel, each ending in \n) for one accepted frame. */
export function frameChannelRows (rigId: number, f: AcceptedFrame): string {
  let out = ''
  for (const c of f.channels) {
    const s = c.samples
    const arr = samplesText(s)
    // channel ids are profile ids ([A-Za-z0-9_]), so no COPY escaping is needed
    out += `${rigId}\t${c.id}\t${usToTimestamp(c.startUs)}\t${f.seq}\t${floatText(c.rateHz)}\t${s.length}\t${floatText(c.min)}\t${floatText(c.max)}\t${String(c.mean)}\t${arr}\n`
  }
  return out
}

// ---- binary COPY (PostgreSQL's binary copy format: a fixed header, then per row a field count and
// each field as a length and its binary send format, then -1). Same rows as frameChannelRows, no
// float ↔ decimal text on either side.
const PG_EPOCH_US = 946_684_800_000_000 // 2000-01-01T00:00:00Z in µs since the Unix epoch
const FLOAT4_OID = 700
const FIELDS = FRAME_CHANNEL_COLUMNS.length

/** "PGCOPY\n\377\r\n\0", flags 0, header extension length 0 */
export const BINARY_COPY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0])
/** the file trailer: a field count of -1 */
export const BINARY_COPY_TRAILER = Buffer.from([0xff, 0xff])

/** Binary-format rows (one per channel) for one accepted frame. */
export function frameChannelRowsBinary (rigId: number, f: AcceptedFrame): Buffer {
  let size = 0
  for (const c of f.channels) {
    // field count + 10 lengths + int4 + text + int8 + int8 + float4 + int4 + float4 + float4 + float8 + array
    size += 2 + FIELDS * 4 + 4 + Buffer.byteLength(c.id) + 8 + 8 + 4 + 4 + 4 + 4 + 8 + (20 + c.samples.length * 8)
  }
  const b = Buffer.allocUnsafe(size)
  // DataView writes (big-endian) are several times faster than Buffer's writeFloatBE & co. here
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const seq = BigInt(f.seq)
  let o = 0
  for (const c of f.channels) {
    dv.setInt16(o, FIELDS); o += 2
    dv.setInt32(o, 4); dv.setInt32(o + 4, rigId); o += 8
    const idLen = b.write(c.id, o + 4, 'utf8')
    dv.setInt32(o, idLen); o += 4 + idLen
    dv.setInt32(o, 8); dv.setBigInt64(o + 4, BigInt(c.startUs - PG_EPOCH_US)); o += 12
    dv.setInt32(o, 8); dv.setBigInt64(o + 4, seq); o += 12
    dv.setInt32(o, 4); dv.setFloat32(o + 4, c.rateHz); o += 8
    dv.setInt32(o, 4); dv.setInt32(o + 4, c.samples.length); o += 8
    dv.setInt32(o, 4); dv.setFloat32(o + 4, c.min); o += 8
    dv.setInt32(o, 4); dv.setFloat32(o + 4, c.max); o += 8
    dv.setInt32(o, 8); dv.setFloat64(o + 4, c.mean); o += 12
    const s = c.samples
    dv.setInt32(o, 20 + s.length * 8)
    dv.setInt32(o + 4, 1) // one dimension
    dv.setInt32(o + 8, 0) // no NULLs
    dv.setInt32(o + 12, FLOAT4_OID)
    dv.setInt32(o + 16, s.length)
    dv.setInt32(o + 20, 1) // lower bound
    o += 24
    for (let i = 0; i < s.length; i++) { dv.setInt32(o, 4); dv.setFloat32(o + 4, s[i]); o += 8 }
  }
  return o === size ? b : b.subarray(0, o)
}
