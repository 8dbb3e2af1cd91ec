// A lean FrameBatch reader for the Kafka feed: reads the identity fields and only the model's
// channels, skipping the others without decoding their samples.
//
// Why: the generated decoder builds every channel (17 on the reference profile, 728 packed floats
// per frame from the simulator) and was the worker's largest cost: bench/worker.ts measures both
// on the same frames (docs/benchmarks.md, "Inference worker"). Wire format of
// schemas/proto/rigstream/v1/telemetry.proto; unknown fields are skipped as protobuf requires.
import $protobuf from 'protobufjs/minimal.js'
import { endianness } from 'node:os'
import '../../../schemas/src/index.js' // configures protobufjs (int64 as numbers) before any read
import type { FrameLike } from './assembler.js'

const LE = endianness() === 'LE'

/** A FrameReader result: FrameLike with its channels always present. */
export interface LeanFrame extends FrameLike {
  tenant: string
  rig: string
  seq: number
  windowStartUs: number
  cycle: number
  channels: Array<{ id: string, samples: Float32Array }>
}

export class FrameReader {
  private readonly index: Map<string, number>

  constructor (readonly channels: readonly string[]) {
    this.index = new Map(channels.map((c, i) => [c, i]))
  }

  /** Throws (like FrameBatch.decode) on bytes that are not a valid protobuf. */
  read (bytes: Uint8Array): LeanFrame {
    const r = $protobuf.Reader.create(bytes)
    const f: LeanFrame = { tenant: '', rig: '', seq: 0, windowStartUs: 0, cycle: 0, channels: [] }
    while (r.pos < r.len) {
      const tag = r.uint32()
      const wire = tag & 7
      switch (tag >>> 3) {
        case 1: if (wire === 2) { f.tenant = r.string(); continue } break
        case 2: if (wire === 2) { f.rig = r.string(); continue } break
        case 3: if (wire === 0) { f.seq = Number(r.uint64()); continue } break
        case 4: if (wire === 0) { f.windowStartUs = Number(r.int64()); continue } break
        case 7: if (wire === 2) { this.channel(r, r.uint32() + r.pos, f); continue } break
        case 9: if (wire === 0) { f.cycle = r.uint32(); continue } break
      }
      r.skipType(wire)
    }
    return f
  }

  private channel (r: $protobuf.Reader, end: number, f: LeanFrame): void {
    if (end > r.len) throw new RangeError('index out of range')
    let id: string | null = null
    let samples: Float32Array | null = null
    // samples may come before the id (any field order is valid): remember where they are
    let at = -1
    let size = -1
    let loose: number[] | null = null
    while (r.pos < end) {
      const tag = r.uint32()
      const wire = tag & 7
      const field = tag >>> 3
      if (field === 1 && wire === 2) {
        id = r.string()
        if (!this.index.has(id)) { r.pos = end; return }
      } else if (field === 4 && wire === 2) {
        size = r.uint32()
        at = r.pos
        if (at + size > end) throw new RangeError('index out of range')
        r.pos += size
      } else if (field === 4 && wire === 5) {
        (loose ??= []).push(r.float()) // unpacked repeated float: valid on the wire, never written by us
      } else {
        r.skipType(wire)
      }
    }
    if (id === null || !this.index.has(id)) return
    if (at >= 0) {
      const n = size >>> 2
      if (LE) {
        samples = new Float32Array(n)
        new Uint8Array(samples.buffer).set(r.buf.subarray(at, at + n * 4))
      } else {
        const view = new DataView(r.buf.buffer, r.buf.byteOffset + at, size)
        samples = new Float32Array(n)
        for (let i = 0; i < n; i++) samples[i] = view.getFloat32(i * 4, true)
      }
    }
    if (loose) samples = Float32Array.from([...(samples ?? []), ...loose])
    f.channels.push({ id, samples: samples ?? new Float32Array(0) })
  }
}
