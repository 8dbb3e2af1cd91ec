// The seam between the Kafka sink (kafka-producer.ts: ordering, deadlines, producer resets,
// error codes) and a client library (kafka-kafkajs.ts, kafka-platformatic.ts). A driver only
// talks to Kafka; it never retries longer than its own request timeout.
import type { Logger } from '../../../common/src/logger.js'

export type KafkaClientName = 'kafkajs' | 'platformatic'
export type KafkaCompression = 'none' | 'gzip' | 'snappy' | 'lz4'

/** One record in client-neutral form. The key decides the partition (Java's murmur2). */
export interface OutRecord {
  key: string
  value: Uint8Array
  /** header name and value, in order */
  headers: Array<[string, string]>
}

export interface TopicSpec {
  topic: string
  partitions: number
  /** -1: the cluster's default */
  replicationFactor: number
  /** topic-level configs set at creation, e.g. max.message.bytes */
  configs: Record<string, string>
}

export interface DriverOptions {
  brokers: string[]
  clientId: string
  compression: KafkaCompression
  log: Logger
  /** one request (connect, produce, metadata) gives up after this long */
  requestTimeoutMs: number
}

/** One idempotent producer session: its own producer id and sequence numbers. */
export interface DriverProducer {
  /** sends records to one topic with acks=all; resolves when all are acknowledged */
  send (topic: string, records: OutRecord[]): Promise<void>
  close (): Promise<void>
}

export interface KafkaDriver {
  /** creates the topics that are missing and waits until every partition has a leader; returns partition counts */
  ensureTopics (specs: TopicSpec[]): Promise<Map<string, number>>
  /** a new producer session, connected and initialised (InitProducerId done) */
  openProducer (): Promise<DriverProducer>
  close (): Promise<void>
}

/** Zero-copy view of bytes as a Buffer (both clients want Buffers). */
export function asBuffer (u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength)
}
