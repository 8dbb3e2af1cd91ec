// The MQTT session of one rig: options (MQTT 3.1.1, persistent session, last will), state payloads,
// and reconnecting with exponential backoff and jitter.
import { createRequire } from 'node:module'
import type { IClientOptions, MqttClient } from 'mqtt'
import { RigState, rigTopic } from '../../schemas/src/index.js'
import { rsError } from '../../common/src/errors.js'
import { AGENT_VERSION } from './version.js'

// mqtt is CommonJS. Loaded with require rather than an ESM import: the same package then costs the
// process about 6 MB less resident memory (a bare node 20 process: import 41 -> 60 MB, require
// 41 -> 54 MB; docs/benchmarks.md, "Edge agent"). The agent's budget is 60 MB.
const mqtt = createRequire(import.meta.url)('mqtt') as typeof import('mqtt')

export interface ConnectionOptions {
  brokerUrl: string
  tenant: string
  rig: string
  clientId: string
  username?: string
  password?: string
  profileId: string
  sourceKind: string
  backoff?: BackoffOptions
  /** the active model version for RigState.model_version ('' = no local diagnosis) */
  modelVersion?: () => string
}

export interface BackoffOptions {
  /** delay ceiling of the first retry; default 1000 ms */
  initialMs?: number
  /** the ceiling stops doubling here; default 30000 ms */
  maxMs?: number
}

/**
 * Delay before reconnect attempt `attempt` (0 = the first after a loss): "equal jitter" — the
 * ceiling min(max, initial * 2^attempt), half of it fixed and half uniformly random. The fixed
 * half keeps a rig from hammering a broker that is down; the random half spreads a fleet that
 * lost the broker at the same moment, so it does not come back in one wave.
 */
export function backoffDelay (attempt: number, o: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = o.initialMs ?? 1000
  const max = o.maxMs ?? 30_000
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30))
  return Math.round(ceiling / 2 + random() * ceiling / 2)
}

export function statePayload (status: 'ONLINE' | 'OFFLINE', o: Pick<ConnectionOptions, 'profileId' | 'sourceKind' | 'modelVersion'>, modelVersion = o.modelVersion?.() ?? ''): Buffer {
  const bytes = RigState.encode({
    status: status === 'ONLINE' ? RigState.Status.ONLINE : RigState.Status.OFFLINE,
    timeUs: nowUs(),
    agentVersion: AGENT_VERSION,
    modelVersion,
    profile: o.profileId,
    source: o.sourceKind
  }).finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

export function mqttOptions (o: ConnectionOptions): IClientOptions {
  return {
    // aedes speaks MQTT 3.1.1 only
    protocolVersion: 4,
    clientId: o.clientId,
    // A persistent session: the broker keeps our QoS 1 state across reconnects [MQTT-3.1.2-4].
    clean: false,
    username: o.username,
    password: o.password,
    keepalive: 30,
    connectTimeout: 10_000,
    // mqtt.js only knows a fixed period; connect() below schedules reconnects itself
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
    // mqtt-packet's number cache is 65,536 two-byte Buffers (about 6 MB of heap, measured with a
    // heap snapshot of the running agent) to save allocating one Buffer per packet id: an agent
    // sends about one packet a second, so it allocates instead.
    writeCache: false,
    // Death: the broker publishes this retained OFFLINE when the connection ends without a
    // DISCONNECT [MQTT-3.1.2-8]. Its time_us is when the session was opened (refreshed on reconnect).
    will: { topic: rigTopic(o.tenant, o.rig, 'state'), payload: statePayload('OFFLINE', o), qos: 1, retain: true }
  }
}

export interface Connection {
  client: MqttClient
  /** reconnect attempts since the start */
  reconnects (): number
  /** the delay of the pending reconnect, 0 while connected or connecting */
  backoffMs (): number
  /** cancels a pending reconnect; call before ending the client */
  stop (): void
}

export function connect (o: ConnectionOptions): Connection {
  const initial = o.backoff?.initialMs ?? 1000
  const max = o.backoff?.maxMs ?? 30_000
  if (!Number.isInteger(initial) || initial < 1) throw rsError('RS_ERR_CONFIG', `backoff initialMs must be a positive integer, got ${initial}`)
  if (!Number.isInteger(max) || max < initial) throw rsError('RS_ERR_CONFIG', `backoff maxMs must be an integer >= initialMs, got ${max}`)
  const client = mqtt.connect(o.brokerUrl, mqttOptions(o))
  let attempt = 0
  let reconnects = 0
  let pending = 0
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  client.on('connect', () => { attempt = 0 })
  client.on('reconnect', () => {
    const will = client.options.will
    if (will) will.payload = statePayload('OFFLINE', o)
  })
  // 'close' follows every lost connection and every failed attempt (refused, timed out, CONNACK error)
  client.on('close', () => {
    if (stopped || client.disconnecting || timer) return
    pending = backoffDelay(attempt++, { initialMs: initial, maxMs: max })
    timer = setTimeout(() => {
      timer = undefined
      pending = 0
      if (stopped) return
      reconnects++
      // Keep mqtt.js's stores: its in-flight QoS 1 publishes are sent again on the new session.
      client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore })
    }, pending)
  })
  return {
    client,
    reconnects: () => reconnects,
    backoffMs: () => pending,
    stop () {
      stopped = true
      clearTimeout(timer)
      timer = undefined
    }
  }
}

/**
 * Agent wall clock, µs since the epoch. Date.now (ms) on purpose: it follows NTP, which is what
 * drift detection against the server compares; a monotonic clock would wander from it over days.
 */
export function nowUs (): number {
  return Date.now() * 1000
}
