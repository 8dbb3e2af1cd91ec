// Shared by the broker tests: a log capture, a started broker with provisioned accounts, mqtt.js clients.
import { Writable } from 'node:stream'
import { pino, type Logger } from 'pino'
import mqtt, { type MqttClient, type IClientOptions, type IPublishPacket } from 'mqtt'
import { startBroker, type Broker, type BrokerOptions } from '../src/server.js'
import { MemoryCredentialStore, provisionDevice, provisionService, type IssuedCredentials } from '../src/credentials.js'

export interface LogCapture { log: Logger, text (): string, records (): Array<Record<string, unknown>> }

/** A pino logger at trace level that writes into memory. */
export function captureLogs (): LogCapture {
  const chunks: string[] = []
  const sink = new Writable({ write (chunk: Buffer, _enc, done) { chunks.push(chunk.toString('utf8')); done() } })
  const log = pino({ level: 'trace' }, sink)
  const text = (): string => chunks.join('')
  return {
    log,
    text,
    records: () => text().split('\n').filter(Boolean).map(l => JSON.parse(l) as Record<string, unknown>)
  }
}

export interface TestBroker {
  broker: Broker
  store: MemoryCredentialStore
  logs: LogCapture
  /** acme/rig-1, acme/rig-2, other/rig-1 */
  rig1: IssuedCredentials
  rig2: IssuedCredentials
  otherTenant: IssuedCredentials
  /** svc:ingest */
  service: IssuedCredentials
}

export async function startTestBroker (opts: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const logs = captureLogs()
  const store = new MemoryCredentialStore()
  const [rig1, rig2, otherTenant, service] = await Promise.all([
    provisionDevice(store, 'acme', 'rig-1'),
    provisionDevice(store, 'acme', 'rig-2'),
    provisionDevice(store, 'other', 'rig-1'),
    provisionService(store, 'ingest')
  ])
  const broker = await startBroker({ port: 0, wsPort: 0, credentials: store, log: logs.log, ...opts })
  return { broker, store, logs, rig1, rig2, otherTenant, service }
}

export type Transport = 'tcp' | 'ws'
export const TRANSPORTS: Transport[] = ['tcp', 'ws']

export function urlOf (b: Broker, t: Transport): string {
  if (t === 'tcp') return b.url
  if (!b.wsUrl) throw new Error('WebSocket is off')
  return b.wsUrl
}

let seq = 0

/** A connected mqtt.js client (MQTT 3.1.1, no automatic reconnect). */
export async function connect (url: string, creds: { username?: string, password?: string }, extra: IClientOptions = {}): Promise<MqttClient> {
  return await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000, clientId: `t-${process.pid}-${++seq}`, ...creds, ...extra }, false)
}

/** The CONNACK return code of a refused connection (throws if it was accepted). */
export async function refusedCode (url: string, creds: { username?: string, password?: string }, extra: IClientOptions = {}): Promise<number> {
  try {
    const c = await connect(url, creds, extra)
    await c.endAsync()
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code === 'number') return code
    throw err
  }
  throw new Error('connection was accepted')
}

/** Collects every message a client receives, and lets a test wait for the next one. */
export class Inbox {
  readonly messages: Array<{ topic: string, payload: string, retain: boolean }> = []
  readonly #waiters: Array<() => void> = []

  constructor (client: MqttClient) {
    client.on('message', (topic: string, payload: Buffer, packet: IPublishPacket) => {
      this.messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain })
      for (const w of this.#waiters.splice(0)) w()
    })
  }

  /** Resolves once `n` messages have arrived in total. */
  async count (n: number): Promise<void> {
    while (this.messages.length < n) await new Promise<void>(resolve => this.#waiters.push(resolve))
  }
}

/** Resolves when the connection closes (the broker dropped it). */
export async function closed (c: MqttClient): Promise<void> {
  if (!c.connected && c.disconnected) return
  await new Promise<void>(resolve => { c.once('close', () => resolve()) })
}

/**
 * The SUBACK return codes for `filters`, in order. mqtt.js rejects a subscribe whose SUBACK holds
 * 0x80; the packet travels on the error, so both outcomes are read from the real SUBACK.
 */
export async function suback (client: MqttClient, filters: string[], qos: 0 | 1 | 2 = 1): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos })).map(g => g.qos)
  } catch (err) {
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted
    if (Array.isArray(granted)) return granted
    throw err
  }
}

/**
 * Publishes and reports what the broker did: 'closed' the connection or 'acked' it. A QoS 0
 * publish has no ack, so a QoS 1 probe to `probeTopic` (one the client may publish to) follows it
 * on the same connection: the broker handles packets of a connection in order.
 */
export async function publishOutcome (c: MqttClient, topic: string, payload: string | Buffer, opts: { qos: 0 | 1, retain?: boolean, probeTopic?: string }): Promise<'closed' | 'acked'> {
  const wasClosed = new Promise<'closed'>(resolve => { c.once('close', () => resolve('closed')) })
  const acked = new Promise<'acked'>(resolve => {
    if (opts.qos === 1) {
      c.publish(topic, payload, { qos: 1, retain: opts.retain ?? false }, err => { if (!err) resolve('acked') })
    } else {
      c.publish(topic, payload, { qos: 0, retain: opts.retain ?? false })
      if (!opts.probeTopic) throw new Error('a QoS 0 publish needs a probeTopic')
      c.publish(opts.probeTopic, 'probe', { qos: 1 }, err => { if (!err) resolve('acked') })
    }
  })
  const result = await Promise.race([wasClosed, acked])
  c.end(true)
  return result
}
