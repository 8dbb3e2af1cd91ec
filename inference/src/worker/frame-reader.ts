// A lean FrameBatch reader for the Kafka feed: reads the identity fields and only the model's
// channels, skipping the others without decoding their samples.
//
// Why: the generated decoder builds every channel (17 on the reference profile, 728 packed floats
// per frame from the simulator) and was the worker's largest cost: bench/worker.ts measures both
// on the same frames (docs/benchmarks.md, "Inference worker"). Wire format of
// schemas/proto/rigstream/v1/telemetry.proto; unknown fields are skipped as protobuf requires.
import $protobuf from 'protobufjs/minimal.js'
import '../../../schemas/src/index.js' // configures protobufjs (int64 as numbers) before any read
import type { FrameLike } from './assembler.js'

/** A FrameReader result: FrameLike with its channels always present. */
export interface LeanFrame extends FrameLike {
  tenant: string
  rig: string
  seq: number
  windowStartUs: number
  cycle: number
  channels: Array<{ id: string, samples: number[] }>
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
    // Plain arrays: a Float32Array per channel costs more to allocate than the whole read of a
    // 1-sample channel (measured: twice the generated decoder's time per UCI frame). Samples are
    // kept in wire order across packed runs and unpacked values, as protobuf defines them; our
    // encoder writes the id first, so another channel's samples are skipped unread.
    const samples: number[] = []
    while (r.pos < end) {
      const tag = r.uint32()
      const wire = tag & 7
      const field = tag >>> 3
      if (field === 1 && wire === 2) {
        id = r.string()
        if (!this.index.has(id)) { r.pos = end; return }
      } else if (field === 4 && wire === 2) {
        const stop = r.uint32() + r.pos
        if (stop > end) throw new RangeError('index out of range')
        while (r.pos < stop) samples.push(r.float())
      } else if (field === 4 && wire === 5) {
        samples.push(r.float())
      } else {
        r.skipType(wire)
      }
    }
    if (id === null || !this.index.has(id)) return
    f.channels.push({ id, samples })
  }

}
