// Decode and validate one MQTT frame message. Pure: no I/O, time passed in, so every reason code
// is unit-tested (ingest/test/validate.test.ts). A frame with any bad part is rejected whole:
// storing a partial window would give charts and the model a silent gap (docs/storage.md).
import { FrameBatch, parseRigTopic } from '../../schemas/src/index.js'
import { loadProfile, type RigProfile } from '../../common/src/profile.js'
import type { ErrorCode } from '../../common/src/errors.js'
import { int64ToNumber } from './int64.js'

export interface ValidationLimits {
  /** larger payloads are rejected before decoding (RS_ERR_TOO_LARGE) */
  maxPayloadBytes: number
  /** the frame window may start at most this far after server time */
  clockSkewFutureMs: number
  /** ...and at most this far before it */
  clockSkewPastMs: number
}

export const DEFAULT_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  maxPayloadBytes: 4 * 1024 * 1024,
  clockSkewFutureMs: 5 * 60_000,
  clockSkewPastMs: 7 * 24 * 3_600_000
})

/** One channel of an accepted frame, with the per-window summary computed while validating. */
export interface AcceptedChannel {
  id: string
  rateHz: number
  startUs: number
  samples: number[]
  min: number
  max: number
  mean: number
}

export interface AcceptedFrame {
  tenant: string
  rig: string
  seq: number
  profile: string
  windowStartUs: number
  windowUs: number
  /** server time when ingest received it, µs */
  receivedUs: number
  channels: AcceptedChannel[]
  /** the decoded message (for the live bus) */
  batch: FrameBatch
  /** the original payload bytes (for Kafka) */
  bytes: Uint8Array
}

export interface Rejection {
  code: ErrorCode
  detail: string
  /** identity as far as it could be read: from the payload when decoded, else from the topic */
  tenant: string | null
  rig: string | null
  seq: number | null
}

export type Verdict = { ok: true, frame: AcceptedFrame } | { ok: false, rejection: Rejection }

class Reject {
  constructor (readonly code: ErrorCode, readonly detail: string) {}
}

/** Decodes and checks one message published on `topic`. `nowUs` is server time in µs. Never
 * throws: a check that fails in an unexpected way rejects the message as RS_ERR_INTERNAL (it is
 * dead-lettered like any other rejection) instead of taking the ingest process down. */
export function validateFrame (topic: string, payload: Uint8Array, nowUs: number, limits: ValidationLimits = DEFAULT_LIMITS): Verdict {
  try {
    return checkMessage(topic, payload, nowUs, limits)
  } catch (err) {
    const t = parseRigTopic(topic)
    return { ok: false, rejection: { code: 'RS_ERR_INTERNAL', detail: `validation failed: ${(err as Error)?.message ?? String(err)}`, tenant: t?.tenant ?? null, rig: t?.rig ?? null, seq: null } }
  }
}

function checkMessage (topic: string, payload: Uint8Array, nowUs: number, limits: ValidationLimits): Verdict {
  const t = parseRigTopic(topic)
  const id = { tenant: t?.tenant ?? null, rig: t?.rig ?? null, seq: null as number | null }
  const fail = (code: ErrorCode, detail: string): Verdict => ({ ok: false, rejection: { code, detail, ...id } })
  if (!t || t.kind !== 'frames') return fail('RS_ERR_TOPIC', `topic ${JSON.stringify(topic.slice(0, 200))} is not rs/v1/{tenant}/{rig}/frames`)
  if (payload.byteLength > limits.maxPayloadBytes) return fail('RS_ERR_TOO_LARGE', `${payload.byteLength} bytes > limit ${limits.maxPayloadBytes}`)

  let batch: FrameBatch
  try {
    batch = FrameBatch.decode(payload)
  } catch (err) {
    return fail('RS_ERR_DECODE', (err as Error).message)
  }
  const seq = int64ToNumber(batch.seq)
  id.seq = seq !== null && seq >= 1 ? seq : null
  if ((batch.tenant ?? '') !== t.tenant || (batch.rig ?? '') !== t.rig) {
    return fail('RS_ERR_IDENTITY', `payload says ${JSON.stringify(batch.tenant ?? '')}/${JSON.stringify(batch.rig ?? '')}, topic says ${t.tenant}/${t.rig}`)
  }
  if (seq === null || seq < 1) return fail('RS_ERR_SEQ', `seq ${String(batch.seq ?? 0)} is not an integer in [1, 2^53)`)
  const profile = loadProfile(batch.profile ?? '')
  if (!profile) return fail('RS_ERR_UNKNOWN_PROFILE', `profile ${JSON.stringify(batch.profile ?? '')}`)
  const windowStartUs = int64ToNumber(batch.windowStartUs)
  if (windowStartUs === null) return fail('RS_ERR_CLOCK', `window_start_us ${String(batch.windowStartUs)} is not a 53-bit integer`)
  const windowUs = batch.windowUs ?? 0
  if (windowUs !== profile.windowUs) return fail('RS_ERR_WINDOW', `window_us ${windowUs} differs from the profile's ${profile.windowUs}`)
  const nowMs = nowUs / 1000
  const startMs = windowStartUs / 1000
  if (startMs > nowMs + limits.clockSkewFutureMs) return fail('RS_ERR_CLOCK', `window starts ${Math.round(startMs - nowMs)} ms after server time (limit ${limits.clockSkewFutureMs} ms)`)
  if (startMs < nowMs - limits.clockSkewPastMs) return fail('RS_ERR_CLOCK', `window starts ${Math.round(nowMs - startMs)} ms before server time (limit ${limits.clockSkewPastMs} ms)`)

  try {
    const channels = checkChannels(batch, profile, windowStartUs, windowUs)
    return { ok: true, frame: { tenant: t.tenant, rig: t.rig, seq, profile: profile.id, windowStartUs, windowUs, receivedUs: nowUs, channels, batch, bytes: payload } }
  } catch (err) {
    if (err instanceof Reject) return fail(err.code, err.detail)
    throw err
  }
}

function checkChannels (batch: FrameBatch, profile: RigProfile, windowStartUs: number, windowUs: number): AcceptedChannel[] {
  const list = batch.channels ?? []
  if (list.length === 0) throw new Reject('RS_ERR_EMPTY', 'frame has no channels')
  const seen = new Set<string>()
  const out: AcceptedChannel[] = []
  for (const c of list) {
    const cid = c.id ?? ''
    const spec = profile.byId.get(cid)
    if (!spec) throw new Reject('RS_ERR_UNKNOWN_CHANNEL', `channel ${JSON.stringify(cid)} is not in profile ${profile.id}`)
    if (seen.has(cid)) throw new Reject('RS_ERR_DUPLICATE_CHANNEL', `channel ${cid} appears twice`)
    seen.add(cid)
    const rate = c.rateHz ?? 0
    if (rate !== spec.rateHz) throw new Reject('RS_ERR_RATE', `channel ${cid} rate ${rate} Hz, profile says ${spec.rateHz} Hz`)
    const startUs = int64ToNumber(c.startUs)
    if (startUs === null || startUs < windowStartUs || startUs >= windowStartUs + windowUs) {
      throw new Reject('RS_ERR_WINDOW', `channel ${cid} starts at ${String(c.startUs)} µs, outside the frame window [${windowStartUs}, ${windowStartUs + windowUs})`)
    }
    const samples = c.samples ?? []
    checkCount(cid, samples.length, rate, windowUs)
    // sample i is at start + i / rate: the last one must lie in the window too, or two frames'
    // samples would overlap (so a channel starts within its first sample period)
    const lastUs = startUs + (samples.length - 1) * 1e6 / rate
    if (lastUs >= windowStartUs + windowUs) {
      throw new Reject('RS_ERR_WINDOW', `channel ${cid} starts at ${startUs} µs: its last sample (${lastUs} µs) is past the frame window [${windowStartUs}, ${windowStartUs + windowUs}); start it within ${1e6 / rate} µs of the window start`)
    }
    out.push(summarise(cid, rate, startUs, samples, spec.min, spec.max))
  }
  return out
}

/**
 * Samples in a window = rate x window. When that is not a whole number (a 1 Hz channel in a
 * 0.5 s window) either neighbour is right, depending on where the window falls; a 1 Hz channel
 * in a 1 s window has exactly 1 sample.
 */
function checkCount (cid: string, n: number, rate: number, windowUs: number): void {
  const expected = rate * windowUs / 1e6
  const lo = Math.floor(expected + 1e-9)
  const hi = Math.ceil(expected - 1e-9)
  if (n < Math.max(lo, 1) || n > Math.max(hi, 1)) {
    throw new Reject('RS_ERR_SAMPLE_COUNT', `channel ${cid} has ${n} samples, expected ${lo === hi ? lo : `${lo} or ${hi}`} (${rate} Hz x ${windowUs / 1e6} s)`)
  }
}

// Hot path: one pass checks every sample and computes the window summary stored beside it.
function summarise (id: string, rateHz: number, startUs: number, samples: number[], lo: number, hi: number): AcceptedChannel {
  let min = Infinity
  let max = -Infinity
  let sum = 0
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]
    if (!Number.isFinite(v)) throw new Reject('RS_ERR_NOT_FINITE', `channel ${id} sample ${i} is ${String(v)}`)
    if (v < lo || v > hi) throw new Reject('RS_ERR_OUT_OF_RANGE', `channel ${id} sample ${i} is ${v}, valid range [${lo}, ${hi}]`)
    if (v < min) min = v
    if (v > max) max = v
    sum += v
  }
  return { id, rateHz, startUs, samples, min, max, mean: sum / samples.length }
}
