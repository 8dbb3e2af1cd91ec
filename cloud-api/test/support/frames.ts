// Real FrameBatch values for tests: built from the rig profile, encoded and decoded through the
// generated protobuf code, exactly as ingest hands them to the LiveBus.
import { FrameBatch, type RigState, type rigstream } from '../../../schemas/src/index.js'
import { requireProfile } from '../../../common/src/profile.js'

/** The 8 UCI channels the replay source carries (all 1 Hz). */
export const UCI_CHANNELS = ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE']

/**
 * A deterministic sample value of channel `id`, sample i of frame `seq`, inside the channel's
 * valid range: a slow wave with a faster harmonic and a little pseudo-noise, so charts look like
 * a working rig rather than noise.
 */
export function sampleValue (id: string, seq: number, i: number): number {
  const c = requireProfile().byId.get(id)!
  const t = seq + i / c.rateHz
  const period = c.rateHz >= 100 ? 6 : c.rateHz >= 10 ? 12 : 40
  const phase = id.charCodeAt(id.length - 1)
  const mid = (c.min + c.max) / 2
  const amp = (c.max - c.min) / 5
  const noise = Math.sin((seq * 7919 + i * 104729 + phase) * 12.9898) * 0.5
  return mid + amp * (0.7 * Math.sin(2 * Math.PI * t / period + phase) + 0.2 * Math.sin(2 * Math.PI * t * 7 / period) + 0.1 * noise)
}

export function frameBatch (tenant: string, rig: string, seq: number, opts: { channels?: string[], windowStartUs?: number } = {}): FrameBatch {
  const profile = requireProfile()
  const windowStartUs = opts.windowStartUs ?? 1_700_000_000_000_000 + seq * profile.windowUs
  const ids = opts.channels ?? profile.channels.map(c => c.id)
  const channels = ids.map(id => {
    const c = profile.byId.get(id)!
    const n = Math.round(c.rateHz * profile.windowUs / 1e6)
    return { id, rateHz: c.rateHz, startUs: windowStartUs, samples: Array.from({ length: n }, (_, i) => sampleValue(id, seq, i)) }
  })
  const bytes = FrameBatch.encode({ tenant, rig, seq, windowStartUs, windowUs: profile.windowUs, profile: profile.id, channels, sentUs: windowStartUs }).finish()
  return FrameBatch.decode(bytes)
}

export function stateOf (status: rigstream.v1.RigState.Status, timeUs = 1_700_000_000_000_000): RigState {
  return { status, timeUs, agentVersion: '0.1.0', modelVersion: '', profile: 'uci-hydraulic/v1', source: 'simulator' } as RigState
}
