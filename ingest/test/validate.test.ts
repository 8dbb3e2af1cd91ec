import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validateFrame, DEFAULT_LIMITS, type Verdict } from '../src/validate.js'
import { FrameBatch } from '../../schemas/src/index.js'
import { ERRORS, type ErrorCode } from '../../common/src/errors.js'
import { frameObject, encodeFrame, frameTopic, PROFILE } from './frames.js'

const NOW_US = 1_700_000_000_000_000
const START = NOW_US - 60_000_000

function check (f: FrameBatch, topic = frameTopic(f)): Verdict {
  return validateFrame(topic, encodeFrame(f), NOW_US)
}

function rejected (v: Verdict, code: ErrorCode, detail?: RegExp): void {
  assert.equal(v.ok, false, 'expected a rejection')
  if (v.ok) return
  assert.equal(v.rejection.code, code, v.rejection.detail)
  assert.ok(ERRORS[v.rejection.code], 'code is in the catalogue')
  if (detail) assert.match(v.rejection.detail, detail)
}

test('a valid frame is accepted with per-channel summaries', () => {
  const f = frameObject({ seq: 42, windowStartUs: START })
  const v = check(f)
  assert.ok(v.ok, v.ok ? '' : v.rejection.detail)
  if (!v.ok) return
  assert.equal(v.frame.seq, 42)
  assert.equal(v.frame.tenant, 'acme')
  assert.equal(v.frame.windowStartUs, START)
  assert.equal(v.frame.receivedUs, NOW_US)
  assert.equal(v.frame.channels.length, 17)
  const ps1 = v.frame.channels.find(c => c.id === 'PS1')!
  assert.equal(ps1.samples.length, 100)
  assert.equal(ps1.min, Math.min(...ps1.samples))
  assert.equal(ps1.max, Math.max(...ps1.samples))
  assert.ok(Math.abs(ps1.mean - ps1.samples.reduce((a, b) => a + b, 0) / 100) < 1e-9)
  assert.equal(v.frame.channels.find(c => c.id === 'TS1')!.samples.length, 1, '1 Hz channel in a 1 s window: 1 sample')
})

test('a subset of the profile channels is accepted (the UCI replay sends 8)', () => {
  const v = check(frameObject({ seq: 1, windowStartUs: START, channels: ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE'] }))
  assert.ok(v.ok)
})

test('RS_ERR_TOPIC: not a frames topic', () => {
  const f = frameObject({ seq: 1, windowStartUs: START })
  rejected(check(f, 'rs/v1/acme/rig-1/state'), 'RS_ERR_TOPIC')
  rejected(check(f, 'other/acme/rig-1/frames'), 'RS_ERR_TOPIC')
  rejected(check(f, 'rs/v1/acme/rig-1/frames/extra'), 'RS_ERR_TOPIC')
})

test('RS_ERR_TOO_LARGE: payload over the limit, checked before decoding', () => {
  const v = validateFrame(frameTopic({}), new Uint8Array(DEFAULT_LIMITS.maxPayloadBytes + 1), NOW_US)
  rejected(v, 'RS_ERR_TOO_LARGE', new RegExp(String(DEFAULT_LIMITS.maxPayloadBytes + 1)))
  const small = validateFrame(frameTopic({}), encodeFrame(frameObject({ seq: 1, windowStartUs: START })), NOW_US, { ...DEFAULT_LIMITS, maxPayloadBytes: 100 })
  rejected(small, 'RS_ERR_TOO_LARGE')
})

test('RS_ERR_DECODE: malformed protobuf', () => {
  const v = validateFrame(frameTopic({}), Uint8Array.from([0x0a, 0xff, 0x01, 0x02]), NOW_US)
  rejected(v, 'RS_ERR_DECODE')
  if (!v.ok) { assert.equal(v.rejection.tenant, 'acme'); assert.equal(v.rejection.rig, 'rig-1'); assert.equal(v.rejection.seq, null) }
})

test('RS_ERR_IDENTITY: payload tenant or rig differs from the topic', () => {
  const f = frameObject({ seq: 3, windowStartUs: START, rig: 'rig-2' })
  rejected(check(f, frameTopic({ rig: 'rig-1' })), 'RS_ERR_IDENTITY', /rig-2/)
  const g = frameObject({ seq: 3, windowStartUs: START, tenant: 'other' })
  rejected(check(g, frameTopic({})), 'RS_ERR_IDENTITY', /other/)
})

test('RS_ERR_SEQ: missing, zero, or beyond 2^53', () => {
  const f = frameObject({ seq: 1, windowStartUs: START })
  f.seq = 0
  rejected(check(f), 'RS_ERR_SEQ')
  f.seq = 2 ** 60
  rejected(check(f), 'RS_ERR_SEQ')
})

test('RS_ERR_UNKNOWN_PROFILE', () => {
  const f = frameObject({ seq: 1, windowStartUs: START })
  f.profile = 'no-such-rig/v9'
  rejected(check(f), 'RS_ERR_UNKNOWN_PROFILE', /no-such-rig/)
  // names of Object.prototype's members are unknown profiles too, not a crash
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    const g = frameObject({ seq: 1, windowStartUs: START })
    g.profile = name
    rejected(check(g), 'RS_ERR_UNKNOWN_PROFILE', new RegExp(name))
  }
})

test('RS_ERR_WINDOW: window length or channel start inconsistent', () => {
  const f = frameObject({ seq: 1, windowStartUs: START })
  f.windowUs = 500_000
  rejected(check(f), 'RS_ERR_WINDOW', /500000/)
  const g = frameObject({ seq: 1, windowStartUs: START })
  g.channels[3].startUs = START + PROFILE.windowUs
  rejected(check(g), 'RS_ERR_WINDOW', /PS4/)
  // a start inside the window whose samples run past its end (they would overlap the next frame)
  const h = frameObject({ seq: 1, windowStartUs: START })
  h.channels[0].startUs = START + PROFILE.windowUs - 1
  rejected(check(h), 'RS_ERR_WINDOW', /last sample/)
  // within the first sample period is fine (the sensor's phase)
  const k = frameObject({ seq: 1, windowStartUs: START })
  const rate = h.channels[0].rateHz!
  k.channels[0].startUs = START + Math.floor(1e6 / rate) - 1
  assert.equal(check(k).ok, true)
})

test('RS_ERR_CLOCK: too far in the future or the past', () => {
  rejected(check(frameObject({ seq: 1, windowStartUs: NOW_US + 86_400_000_000 })), 'RS_ERR_CLOCK', /after server time/)
  rejected(check(frameObject({ seq: 1, windowStartUs: NOW_US - 8 * 86_400_000_000 })), 'RS_ERR_CLOCK', /before server time/)
  assert.ok(check(frameObject({ seq: 1, windowStartUs: NOW_US + 4 * 60_000_000 })).ok, '4 min ahead is inside the default window')
  assert.ok(check(frameObject({ seq: 1, windowStartUs: NOW_US - 6 * 86_400_000_000 })).ok, '6 days back is inside the default window')
})

test('RS_ERR_EMPTY: no channels', () => {
  rejected(check(frameObject({ seq: 1, windowStartUs: START, channels: [] })), 'RS_ERR_EMPTY')
})

test('RS_ERR_UNKNOWN_CHANNEL names the channel', () => {
  const f = frameObject({ seq: 1, windowStartUs: START })
  f.channels[5].id = 'XYZ9'
  rejected(check(f), 'RS_ERR_UNKNOWN_CHANNEL', /XYZ9/)
})

test('RS_ERR_DUPLICATE_CHANNEL', () => {
  const f = frameObject({ seq: 1, windowStartUs: START, channels: ['PS1', 'TS1', 'PS1'] })
  rejected(check(f), 'RS_ERR_DUPLICATE_CHANNEL', /PS1/)
})

test('RS_ERR_RATE: rate differs from the profile', () => {
  const f = frameObject({ seq: 1, windowStartUs: START })
  f.channels[7].rateHz = 20 // FS1 is 10 Hz
  rejected(check(f), 'RS_ERR_RATE', /FS1 rate 20 Hz, profile says 10 Hz/)
})

test('RS_ERR_SAMPLE_COUNT: samples != rate x window', () => {
  const f = frameObject({ seq: 1, windowStartUs: START })
  f.channels[0].samples = f.channels[0].samples!.slice(0, 99)
  rejected(check(f), 'RS_ERR_SAMPLE_COUNT', /PS1 has 99 samples, expected 100/)
  const g = frameObject({ seq: 1, windowStartUs: START })
  g.channels[9].samples = [20, 21] // TS1, 1 Hz
  rejected(check(g), 'RS_ERR_SAMPLE_COUNT', /TS1 has 2 samples, expected 1/)
})

test('RS_ERR_NOT_FINITE names channel, index and value', () => {
  rejected(check(frameObject({ seq: 1, windowStartUs: START, value: (c, i) => c === 'PS2' && i === 17 ? NaN : 5 })), 'RS_ERR_NOT_FINITE', /PS2 sample 17 is NaN/)
  rejected(check(frameObject({ seq: 1, windowStartUs: START, value: (c, i) => c === 'EPS1' && i === 0 ? -Infinity : 5 })), 'RS_ERR_NOT_FINITE', /EPS1 sample 0 is -Infinity/)
})

test('RS_ERR_OUT_OF_RANGE names channel, index, value and range', () => {
  rejected(check(frameObject({ seq: 1, windowStartUs: START, value: (c, i) => c === 'PS3' && i === 4 ? 300 : 5 })), 'RS_ERR_OUT_OF_RANGE', /PS3 sample 4 is 300, valid range \[-1, 250\]/)
  rejected(check(frameObject({ seq: 1, windowStartUs: START, value: (c) => c === 'VS1' ? -0.5 : 5 })), 'RS_ERR_OUT_OF_RANGE', /VS1 sample 0/)
  assert.ok(check(frameObject({ seq: 1, windowStartUs: START, value: (c) => PROFILE.byId.get(c)!.max })).ok, 'range bounds are inclusive')
})

test('a frame with one bad channel is rejected whole', () => {
  const v = check(frameObject({ seq: 9, windowStartUs: START, value: (c, i) => c === 'SE' ? 1000 : 5 + i * 0 }))
  rejected(v, 'RS_ERR_OUT_OF_RANGE')
  if (!v.ok) assert.equal(v.rejection.seq, 9, 'the rejection keeps the frame identity')
})
