// A steady publisher of a known set of frames for several rigs, for ingest's fault tests and the
// overload bench: frame i goes to rig i % rigs.length with seq floor(i / rigs.length) + 1, QoS 1,
// at `ratePerSec` frames per second in total. It keeps publishing while the broker holds (ingest
// down, database down): the broker queues for ingest's persistent session.
import { randomBytes } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { FrameBatch, rigTopic } from '../../schemas/src/index.js'
import { requireProfile } from '../../common/src/profile.js'

const PROFILE = requireProfile()

export interface SteadyPublisherOptions {
  mqttUrl: string
  tenant: string
  rigs: string[]
  /** frames per rig; Infinity publishes until stop() */
  framesPerRig: number
  /** frames per second, all rigs together */
  ratePerSec: number
  /** channels per frame (default: all of the reference profile's) */
  channels?: string[]
}

export interface SteadyPublisher {
  /** frames handed to the MQTT client */
  readonly sent: number
  /** frames the broker acknowledged (PUBACK) */
  readonly acked: number
  /** seqs published per rig so far: 1..n */
  publishedPerRig (): Map<string, number>
  /** changes the rate from now on */
  setRate (perSec: number): void
  /** resolves when every frame of the set is published and acknowledged by the broker */
  readonly done: Promise<void>
  /** stops publishing; resolves once what was sent is acknowledged by the broker */
  stop (): Promise<void>
}

/** One frame: every channel of the profile (or `channels`), values inside their ranges. */
export function encodeTestFrame (tenant: string, rig: string, seq: number, baseUs: number, channels?: string[]): Buffer {
  const start = baseUs + seq * PROFILE.windowUs
  const ids = channels ?? PROFILE.channels.map(c => c.id)
  return Buffer.from(FrameBatch.encode(FrameBatch.create({
    tenant,
    rig,
    seq,
    windowStartUs: start,
    windowUs: PROFILE.windowUs,
    profile: PROFILE.id,
    sentUs: start + PROFILE.windowUs,
    channels: ids.map(id => {
      const spec = PROFILE.byId.get(id)!
      const n = Math.max(1, Math.round(spec.rateHz * PROFILE.windowUs / 1e6))
      const samples = Array.from({ length: n }, (_, i) => Math.fround(spec.min + (spec.max - spec.min) * ((seq * 7 + i * 13) % 100) / 100))
      return { id, rateHz: spec.rateHz, startUs: start, samples }
    })
  })).finish())
}

/** unacknowledged QoS 1 publishes at most (well below the 65,535 packet ids) */
const MAX_IN_FLIGHT = 20_000

export async function startSteadyPublisher (o: SteadyPublisherOptions): Promise<SteadyPublisher> {
  const client: MqttClient = await mqtt.connectAsync(o.mqttUrl, {
    protocolVersion: 4,
    clientId: `rs-steady-pub-${randomBytes(4).toString('hex')}`,
    clean: true,
    reconnectPeriod: 500
  })
  // seq n covers window n (1 s each) from six days ago: every window stays inside ingest's
  // clock-skew limits (7 days past, 5 minutes ahead) for up to 500,000 seqs per rig, whatever the rate
  const baseUs = (Date.now() - 6 * 86_400_000) * 1000
  const total = o.framesPerRig * o.rigs.length
  let rate = o.ratePerSec
  let sent = 0
  let acked = 0
  let stopped = false
  let failed: Error | null = null
  let t0 = Date.now()
  let sentAtT0 = 0
  const perRig = new Map(o.rigs.map(r => [r, 0]))
  let resolveDone!: () => void
  let rejectDone!: (e: Error) => void
  const done = new Promise<void>((resolve, reject) => { resolveDone = resolve; rejectDone = reject })
  done.catch(() => {})
  const settle = (): void => {
    if (failed) rejectDone(failed)
    else if ((sent >= total || stopped) && acked === sent) resolveDone()
  }

  const tick = (): void => {
    if (stopped) return
    const due = Math.min(total, sentAtT0 + Math.floor((Date.now() - t0) * rate / 1000))
    // at most one second's worth per tick, so a stalled event loop does not burst everything at once;
    // and at most MAX_IN_FLIGHT unacknowledged: MQTT packet ids are 16 bits, and with more in flight
    // MQTT.js reused ids still waiting for their PUBACK (a 5-minute overload run at 4,338 frames/s
    // never saw some callbacks and hung). A broker that cannot take the rate lowers what is offered
    // (the bench reports the rate actually sent).
    const upTo = Math.min(due, sent + Math.max(1, Math.ceil(rate)), acked + MAX_IN_FLIGHT)
    while (sent < upTo) {
      const i = sent++
      const rig = o.rigs[i % o.rigs.length]
      const seq = Math.floor(i / o.rigs.length) + 1
      perRig.set(rig, seq)
      client.publish(rigTopic(o.tenant, rig, 'frames'), encodeTestFrame(o.tenant, rig, seq, baseUs, o.channels), { qos: 1 }, err => {
        if (err) failed ??= err
        acked++
        settle()
      })
    }
    if (sent >= total) { clearInterval(timer); settle() }
  }
  const timer = setInterval(tick, 10)

  return {
    get sent () { return sent },
    get acked () { return acked },
    publishedPerRig: () => new Map(perRig),
    setRate (perSec) { tick(); t0 = Date.now(); sentAtT0 = sent; rate = perSec },
    done,
    async stop () {
      stopped = true
      clearInterval(timer)
      settle()
      await done
      await client.endAsync()
    }
  }
}
