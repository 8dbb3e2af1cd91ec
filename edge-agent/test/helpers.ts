// Shared helpers of the edge-agent tests: a real MQTT subscriber, a finite source, a quiet logger.
import { createServer, type Server } from 'node:net'
import mqtt, { type MqttClient } from 'mqtt'
import { Aedes } from 'aedes'
import { createRootLogger, type Logger } from '../../common/src/logger.js'
import { freePort } from '../../common/src/net.js'
import type { RigSource, SourceWindow } from '../src/sources/types.js'

/**
 * protobufjs decodes int64 fields to Long objects while the `long` package is installed (the
 * generated types say number); this accepts both and returns the exact number.
 */
export function int64 (v: unknown): number {
  const n = typeof v === 'number' ? v : (v as { toNumber: () => number }).toNumber()
  if (!Number.isSafeInteger(n)) throw new Error(`not a safe integer: ${String(v)}`)
  return n
}

export interface Received { topic: string, payload: Buffer, retain: boolean }

export interface Collector {
  client: MqttClient
  messages: Received[]
  /** resolves once pred(messages) holds (checked on every message) */
  until (pred: (m: Received[]) => boolean): Promise<void>
  close (): Promise<void>
}

/** A real MQTT client subscribed (QoS 1) to `filter`; collects every message. */
export async function collect (url: string, filter: string): Promise<Collector> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clean: true, reconnectPeriod: 0, clientId: `test-sub-${Math.random().toString(16).slice(2)}` })
  const messages: Received[] = []
  const waiters: Array<{ pred: (m: Received[]) => boolean, resolve: () => void }> = []
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload, retain: packet.retain })
    for (const w of waiters.slice()) {
      if (w.pred(messages)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  await client.subscribeAsync(filter, { qos: 1 })
  return {
    client,
    messages,
    until: pred => pred(messages) ? Promise.resolve() : new Promise<void>(resolve => waiters.push({ pred, resolve })),
    close: async () => { await client.endAsync(true) }
  }
}

/** The first `n` windows of `source`, then exhausted. */
export function limited<S extends RigSource> (source: S, n: number): RigSource {
  let left = n
  return {
    profileId: source.profileId,
    kind: source.kind,
    exhausted: () => left <= 0,
    next (): SourceWindow {
      left--
      return source.next()
    }
  }
}

export function quietLogger (): Logger {
  return createRootLogger({ level: process.env.RS_LOG_LEVEL ?? 'warn' })
}

export interface TestAedes { url: string, port: number, broker: Aedes, server: Server, close (): Promise<void> }

/** A real aedes broker on a free port (the embedded default's broker, no authentication here). */
export async function startAedes (): Promise<TestAedes> {
  const broker = await Aedes.createBroker()
  const server = createServer(broker.handle)
  const port = await freePort()
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    broker,
    server,
    close: () => new Promise<void>(resolve => {
      server.close(() => resolve())
      broker.close()
    })
  }
}
