// Test frames built directly with the schemas' FrameBatch (the edge agent is not used here).
import { FrameBatch, rigTopic } from '../../schemas/src/index.js'
import { requireProfile } from '../../common/src/profile.js'

export const PROFILE = requireProfile()

export interface FrameSpec {
  tenant?: string
  rig?: string
  seq: number
  windowStartUs?: number
  /** value of sample i of channel c (default: inside every channel's range) */
  value?: (channel: string, i: number) => number
  channels?: string[]
}

/** A valid FrameBatch object for the reference profile (all 17 channels unless `channels`). */
export function frameObject (s: FrameSpec): FrameBatch {
  const tenant = s.tenant ?? 'acme'
  const rig = s.rig ?? 'rig-1'
  const start = s.windowStartUs ?? (Math.floor(Date.now() / 1000) * 1_000_000 - 10_000_000 + s.seq * 1_000_000)
  const ids = s.channels ?? PROFILE.channels.map(c => c.id)
  return FrameBatch.create({
    tenant,
    rig,
    seq: s.seq,
    windowStartUs: start,
    windowUs: PROFILE.windowUs,
    profile: PROFILE.id,
    sentUs: start + PROFILE.windowUs,
    channels: ids.map(id => {
      const spec = PROFILE.byId.get(id)!
      const n = Math.max(1, Math.round(spec.rateHz * PROFILE.windowUs / 1e6))
      const samples = Array.from({ length: n }, (_, i) => s.value ? s.value(id, i) : Math.fround(spec.min + (spec.max - spec.min) * ((s.seq * 7 + i * 13) % 100) / 100))
      return { id, rateHz: spec.rateHz, startUs: start, samples }
    })
  })
}

export function encodeFrame (f: FrameBatch): Uint8Array {
  return FrameBatch.encode(f).finish()
}

export function frameTopic (f: { tenant?: string, rig?: string }): string {
  return rigTopic(f.tenant ?? 'acme', f.rig ?? 'rig-1', 'frames')
}
