/**
 * Fills a LiveBus from MQTT for a standalone cloud-api: subscribes to every rig's frames, state,
 * predictions and alerts as a service account, decodes the protobuf and emits.
 *
 * A plain (non-shared) subscription at QoS 0: every api instance needs every message, and the live
 * view is best-effort — the durable path is ingest → database. Note that frames seen here are what
 * devices published, before ingest's validation; payloads that do not decode, or whose tenant/rig
 * disagree with the topic, are counted and skipped.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { randomBytes } from 'node:crypto'
import type { LiveBus } from '../../common/src/live.js'
import type { Logger } from '../../common/src/logger.js'
import { FrameBatch, RigState, Prediction, Alert, allRigsFilter, parseRigTopic } from '../../schemas/src/index.js'

export interface MqttLiveOptions {
  url: string
  username?: string | null
  password?: string | null
  bus: LiveBus
  log: Logger
  clientId?: string
  /**
   * What to follow (default all four). The embedded process takes 'frames' from ingest's LiveBus
   * (committed frames only) and this feed for the rest: ['state', 'predictions', 'alerts'].
   */
  kinds?: readonly LiveKind[]
}

export type LiveKind = 'frames' | 'state' | 'predictions' | 'alerts'
export const ALL_LIVE_KINDS: readonly LiveKind[] = Object.freeze(['frames', 'state', 'predictions', 'alerts'])

export interface MqttLiveStats { received: number, emitted: number, decodeErrors: number, identityErrors: number, connected: boolean }

export interface MqttLive { stats (): MqttLiveStats, close (): Promise<void> }

/** Resolves once connected and subscribed; rejects if the first connection is refused (bad credentials, no broker). */
export async function startMqttLive (o: MqttLiveOptions): Promise<MqttLive> {
  const log = o.log
  const kinds = new Set(o.kinds ?? ALL_LIVE_KINDS)
  if (kinds.size === 0) throw new Error('startMqttLive: kinds must not be empty')
  const filters = [...kinds].map(k => allRigsFilter(k))
  const s: MqttLiveStats = { received: 0, emitted: 0, decodeErrors: 0, identityErrors: 0, connected: false }
  const client: MqttClient = mqtt.connect(o.url, {
    clientId: o.clientId ?? `rs-api-${randomBytes(4).toString('hex')}`,
    username: o.username ?? undefined,
    password: o.password ?? undefined,
    protocolVersion: 4, // MQTT 3.1.1: aedes speaks nothing newer
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: 10_000
  })

  const skip = (kind: 'decodeErrors' | 'identityErrors', topic: string, err?: unknown): void => {
    s[kind]++
    // a bad publisher would flood the log: say it on the 1st, 10th, 100th... occurrence
    if (Math.log10(s[kind]) % 1 === 0) log.warn({ topic, count: s[kind], err, code: kind === 'decodeErrors' ? 'RS_ERR_DECODE' : 'RS_ERR_IDENTITY' }, 'live feed: payload skipped')
  }

  client.on('message', (topic, payload) => {
    s.received++
    const t = parseRigTopic(topic)
    if (!t || payload.length === 0 || !kinds.has(t.kind as LiveKind)) return
    try {
      switch (t.kind) {
        case 'frames': {
          const batch = FrameBatch.decode(payload)
          if (batch.tenant !== t.tenant || batch.rig !== t.rig) return skip('identityErrors', topic)
          o.bus.emit('frames', { tenant: t.tenant, rig: t.rig, seq: Number(batch.seq), batch })
          break
        }
        case 'state':
          o.bus.emit('state', { tenant: t.tenant, rig: t.rig, state: RigState.decode(payload) })
          break
        case 'predictions': {
          const prediction = Prediction.decode(payload)
          if ((prediction.tenant && prediction.tenant !== t.tenant) || (prediction.rig && prediction.rig !== t.rig)) return skip('identityErrors', topic)
          o.bus.emit('prediction', { tenant: t.tenant, rig: t.rig, prediction })
          break
        }
        case 'alerts': {
          const alert = Alert.decode(payload)
          if ((alert.tenant && alert.tenant !== t.tenant) || (alert.rig && alert.rig !== t.rig)) return skip('identityErrors', topic)
          o.bus.emit('alert', { tenant: t.tenant, rig: t.rig, alert })
          break
        }
        default: return
      }
      s.emitted++
    } catch (err) {
      skip('decodeErrors', topic, err)
    }
  })
  client.on('connect', () => {
    s.connected = true
    log.info({ url: o.url }, 'live feed: connected to MQTT')
    // clean session: subscriptions are made again on every connect
    client.subscribe(Object.fromEntries(filters.map(f => [f, { qos: 0 as const }])), err => {
      if (err) log.error({ err }, 'live feed: subscribe failed')
    })
  })
  client.on('offline', () => { if (s.connected) log.warn({ url: o.url }, 'live feed: MQTT connection lost, reconnecting'); s.connected = false })
  client.on('error', err => log.warn({ err }, 'live feed: MQTT error'))

  await new Promise<void>((resolve, reject) => {
    const onSub = (): void => { cleanup(); resolve() }
    const onErr = (err: Error): void => { cleanup(); reject(err) }
    const cleanup = (): void => { client.off('error', onErr); client.off('packetreceive', onPacket) }
    const onPacket = (p: { cmd: string }): void => { if (p.cmd === 'suback') onSub() }
    client.once('error', onErr)
    client.on('packetreceive', onPacket)
  }).catch(async err => { await client.endAsync(true); throw err })

  return {
    stats: () => ({ ...s }),
    close: async () => { await client.endAsync() }
  }
}
