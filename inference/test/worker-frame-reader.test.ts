// The worker's lean FrameBatch reader agrees with the generated decoder on everything it reads.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import $protobuf from 'protobufjs/minimal.js'
import { repoPath } from '../../common/src/paths.js'
import { FrameBatch } from '../../schemas/src/index.js'
import { toFrameBatch } from '../../edge-agent/src/framing.js'
import { createSimulator, createUciReplay } from '../../edge-agent/src/sources/index.js'
import { FrameReader } from '../src/worker/frame-reader.js'

const MODEL_CHANNELS = ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE']
const reader = new FrameReader(MODEL_CHANNELS)

function expected (bytes: Uint8Array): object {
  const b = FrameBatch.decode(bytes)
  return {
    tenant: b.tenant ?? '',
    rig: b.rig ?? '',
    seq: Number(b.seq ?? 0),
    windowStartUs: Number(b.windowStartUs ?? 0),
    cycle: b.cycle ?? 0,
    channels: (b.channels ?? []).filter(c => MODEL_CHANNELS.includes(c.id ?? '')).map(c => ({ id: c.id, samples: [...(c.samples ?? [])] }))
  }
}

test('frame reader: the captured fixtures, simulator frames (17 channels) and UCI replay frames read as the generated decoder reads them', () => {
  const files = readdirSync(repoPath('schemas', 'fixtures')).filter(f => f.startsWith('framebatch.') && f.endsWith('.bin'))
  assert.ok(files.length >= 2)
  const all: Uint8Array[] = files.map(f => new Uint8Array(readFileSync(repoPath('schemas', 'fixtures', f))))
  const sim = createSimulator({ seed: 3, startUs: 1_795_000_000_000_000, faults: { pump: 1 } })
  const uci = createUciReplay({ startUs: 1_795_000_000_000_000, startCycle: 40 })
  for (let k = 0; k < 120; k++) {
    all.push(toFrameBatch('acme', 'sim-1', k + 1, sim.next(), 1_795_000_000_000_000 + k))
    all.push(toFrameBatch('acme', 'uci-1', 2 ** 40 + k, uci.next(), 1_795_000_000_000_000 + k))
  }
  for (const bytes of all) assert.deepEqual(reader.read(bytes), expected(bytes))
})

test('frame reader: any field order, split packed runs, unpacked floats and unknown fields are read; bad bytes throw', () => {
  const w = $protobuf.Writer.create()
  // FrameBatch with the channel's samples before its id, an unknown field 15 (varint) in both messages
  w.uint32((15 << 3) | 0).uint32(99)
  w.uint32((9 << 3) | 0).uint32(12)
  const ch = $protobuf.Writer.create()
  ch.uint32((4 << 3) | 2).fork().float(1.5).float(-2.25).ldelim()
  ch.uint32((15 << 3) | 0).uint32(7)
  ch.uint32((1 << 3) | 2).string('TS1')
  ch.uint32((4 << 3) | 5).float(3.5) // an unpacked repeated float after the packed run
  ch.uint32((4 << 3) | 2).fork().float(4).ldelim() // a second packed run: values continue in wire order
  w.uint32((7 << 3) | 2).bytes(ch.finish())
  const other = $protobuf.Writer.create().uint32((1 << 3) | 2).string('PS1').uint32((4 << 3) | 2).fork().float(9).ldelim().finish()
  w.uint32((7 << 3) | 2).bytes(other)
  w.uint32((2 << 3) | 2).string('r')
  w.uint32((1 << 3) | 2).string('t')
  w.uint32((3 << 3) | 0).uint64(5)
  w.uint32((4 << 3) | 0).int64(1_795_000_000_000_000)
  const bytes = w.finish()
  assert.deepEqual(reader.read(bytes), expected(bytes))
  assert.deepEqual(reader.read(bytes).channels, [{ id: 'TS1', samples: [1.5, -2.25, 3.5, 4] }])
  assert.throws(() => reader.read(Uint8Array.from([0x3a, 0x20, 0x0a])), /index out of range|RangeError/)
  assert.throws(() => FrameBatch.decode(Uint8Array.from([0x3a, 0x20, 0x0a])))
})
