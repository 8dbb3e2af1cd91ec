// On-disk format of the disk spool (docs/edge.md "Spool format"): segment files of CRC-checked
// frame records, each with a companion file of the seqs that have left the spool.
//
//   <first seq, 16 digits>.seg   header  "RSSPOOL1" (8 bytes)
//                                record  u32 LE payload length | u32 LE crc32(seq bytes + payload)
//                                        | f64 LE seq (an exact integer) | payload
//   <first seq, 16 digits>.ack   f64 LE seqs acknowledged by the broker or dropped by the bound
//
// A torn record at the end of the newest segment (power loss mid-write) fails its length or CRC
// check and is cut off when the spool is opened; every record before it is intact.
import { crc32 } from 'node:zlib'

export const SEGMENT_MAGIC = Buffer.from('RSSPOOL1', 'latin1')
export const HEADER_BYTES = SEGMENT_MAGIC.length
export const RECORD_HEADER_BYTES = 16
/** a frame is a few KiB; anything past this length field is a torn or corrupt record */
export const MAX_RECORD_PAYLOAD = 64 * 1024 * 1024

export const segmentName = (firstSeq: number): string => `${String(firstSeq).padStart(16, '0')}.seg`
export const ackName = (firstSeq: number): string => `${String(firstSeq).padStart(16, '0')}.ack`
export const SEGMENT_RE = /^(\d{16})\.seg$/

/** One record, ready to write (header and payload as two buffers for writev). */
export function encodeRecord (seq: number, payload: Uint8Array): [Buffer, Buffer] {
  const head = Buffer.allocUnsafe(RECORD_HEADER_BYTES)
  const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
  head.writeUInt32LE(body.byteLength, 0)
  head.writeDoubleLE(seq, 8)
  head.writeUInt32LE(crc32(body, crc32(head.subarray(8, 16))), 4)
  return [head, body]
}

export interface ScannedRecord { seq: number, offset: number, length: number }

export interface ScanResult {
  records: ScannedRecord[]
  /** bytes of intact header + records; anything after is torn or corrupt */
  validBytes: number
  /** why the scan stopped before the end of the file (undefined when the file was read to the end) */
  stoppedBecause?: string
}

/** Reads a whole segment file's bytes and lists its intact records, stopping at the first bad one. */
export function scanSegment (buf: Buffer): ScanResult {
  const records: ScannedRecord[] = []
  if (buf.byteLength < HEADER_BYTES || !buf.subarray(0, HEADER_BYTES).equals(SEGMENT_MAGIC)) {
    return { records, validBytes: 0, stoppedBecause: 'bad or missing segment header' }
  }
  let off = HEADER_BYTES
  let lastSeq = 0
  while (off < buf.byteLength) {
    if (off + RECORD_HEADER_BYTES > buf.byteLength) return { records, validBytes: off, stoppedBecause: 'torn record header' }
    const length = buf.readUInt32LE(off)
    const sum = buf.readUInt32LE(off + 4)
    const seq = buf.readDoubleLE(off + 8)
    if (length > MAX_RECORD_PAYLOAD || off + RECORD_HEADER_BYTES + length > buf.byteLength) return { records, validBytes: off, stoppedBecause: 'torn record' }
    const body = buf.subarray(off + RECORD_HEADER_BYTES, off + RECORD_HEADER_BYTES + length)
    if (crc32(body, crc32(buf.subarray(off + 8, off + 16))) !== sum) return { records, validBytes: off, stoppedBecause: 'record checksum mismatch' }
    if (!Number.isSafeInteger(seq) || seq <= lastSeq) return { records, validBytes: off, stoppedBecause: `record seq ${seq} out of order` }
    records.push({ seq, offset: off + RECORD_HEADER_BYTES, length })
    lastSeq = seq
    off += RECORD_HEADER_BYTES + length
  }
  return { records, validBytes: off }
}

/** The seqs listed in an .ack file (a torn last entry is ignored: the frame is sent again, ingest dedups). */
export function parseAcks (buf: Buffer): number[] {
  const out: number[] = []
  for (let off = 0; off + 8 <= buf.byteLength; off += 8) out.push(buf.readDoubleLE(off))
  return out
}

export function encodeAcks (seqs: number[]): Buffer {
  const b = Buffer.allocUnsafe(seqs.length * 8)
  for (let i = 0; i < seqs.length; i++) b.writeDoubleLE(seqs[i], i * 8)
  return b
}
