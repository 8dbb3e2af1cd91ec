// The Kafka sink of ingest (DESIGN.md, "Kafka"): frames to rs.frames.v1 keyed tenant/rig with
// headers tenant, rig, seq, schema; dead letters to rs.deadletter.v1; predictions to
// rs.predictions.v1. Idempotent producer, acks=all, compressed batches. A send resolves only
// once Kafka acknowledged every record; any failure rejects with RS_ERR_KAFKA_UNAVAILABLE
// (retriable) within `sendTimeoutMs`, so ingest holds its acknowledgements and retries.
// Two client libraries sit behind the same interface; docs/kafka.md has the measurement that
// chose the default.
import { rsError } from '../../../common/src/errors.js'
import type { Logger } from '../../../common/src/logger.js'
import { createProducerSink } from './kafka-producer.js'
import type { KafkaClientName, KafkaCompression } from './kafka-driver.js'
import type { KafkaDeadLetterRecord, KafkaFrameRecord, KafkaPredictionRecord } from './kafka-records.js'

export type { KafkaClientName, KafkaCompression } from './kafka-driver.js'
export { FRAME_SCHEMA, DEAD_LETTER_SCHEMA, PREDICTION_SCHEMA } from './kafka-records.js'
export type { KafkaDeadLetterRecord, KafkaFrameRecord, KafkaPredictionRecord } from './kafka-records.js'

export interface KafkaSink {
  /** connects and creates rs.frames.v1, rs.predictions.v1, rs.deadletter.v1 when absent */
  connect (): Promise<void>
  /** resolves once every record is acknowledged by all in-sync replicas (acks=all) */
  sendFrames (records: KafkaFrameRecord[]): Promise<void>
  sendDeadLetters (records: KafkaDeadLetterRecord[]): Promise<void>
  sendPredictions (records: KafkaPredictionRecord[]): Promise<void>
  /** waits for sends in progress (bounded by sendTimeoutMs), then disconnects */
  close (): Promise<void>
  /** frames acknowledged so far */
  readonly produced: number
  /** dead letters acknowledged so far */
  readonly deadLettersProduced: number
  /** predictions acknowledged so far */
  readonly predictionsProduced: number
  /** which client library this sink runs on */
  readonly client: KafkaClientName
}

export interface KafkaSinkOptions {
  /** bootstrap brokers, host:port */
  brokers: string[]
  clientId?: string
  log: Logger
  /** partitions of the topics this sink creates (default 6); existing topics are left as they are */
  partitions?: number
  /** replicas of the topics this sink creates (default: the cluster's default.replication.factor) */
  replicationFactor?: number
  /** client library (default DEFAULT_KAFKA_CLIENT) */
  client?: KafkaClientName
  /** batch compression (default DEFAULT_KAFKA_COMPRESSION[client]) */
  compression?: KafkaCompression
  /** upper bound of one send, from the call to its rejection (default 15000) */
  sendTimeoutMs?: number
  /** upper bound of connect() (default 20000) */
  connectTimeoutMs?: number
  /** records of one send are split into produce requests of at most this many bytes (default 4 MiB) */
  maxRequestBytes?: number
}

/** Chosen by `npm run bench -- kafka-clients` (docs/kafka.md). */
export const DEFAULT_KAFKA_CLIENT: KafkaClientName = 'platformatic'

/**
 * Per client, the compression it uses unless told otherwise. lz4 (WebAssembly codec, no native
 * add-on) won the bench for both clients: FrameBatch samples are packed floats that compress
 * little (lz4 and snappy -12 %, gzip -24 % on the broker's disk) and gzip costs 4-5x the client
 * CPU of lz4, snappy 3-4x the broker CPU (docs/kafka.md). kafkajs consumers need
 * registerKafkajsCodecs() from ./kafka-kafkajs-codecs.js to read it.
 */
export const DEFAULT_KAFKA_COMPRESSION: Readonly<Record<KafkaClientName, KafkaCompression>> = Object.freeze({
  kafkajs: 'lz4',
  platformatic: 'lz4'
})

const SUPPORTED: Readonly<Record<KafkaClientName, readonly KafkaCompression[]>> = Object.freeze({
  kafkajs: ['none', 'gzip', 'snappy', 'lz4'],
  platformatic: ['none', 'gzip', 'snappy', 'lz4']
})

export function createKafkaSink (opts: KafkaSinkOptions): KafkaSink {
  const client = opts.client ?? DEFAULT_KAFKA_CLIENT
  if (!Object.hasOwn(SUPPORTED, client)) throw rsError('RS_ERR_CONFIG', `Kafka client must be one of ${Object.keys(SUPPORTED).join(', ')}, got ${JSON.stringify(client)}`)
  const compression = opts.compression ?? DEFAULT_KAFKA_COMPRESSION[client]
  if (!SUPPORTED[client].includes(compression)) {
    throw rsError('RS_ERR_CONFIG', `Kafka compression ${JSON.stringify(compression)} is not available with ${client} (choose ${SUPPORTED[client].join(', ')})`)
  }
  if (!Array.isArray(opts.brokers) || opts.brokers.length === 0) throw rsError('RS_ERR_CONFIG', 'Kafka brokers: at least one host:port is needed')
  for (const b of opts.brokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) throw rsError('RS_ERR_CONFIG', `Kafka brokers must be host:port, got ${JSON.stringify(b)}`)
  }
  const partitions = opts.partitions ?? 6
  if (!Number.isInteger(partitions) || partitions < 1) throw rsError('RS_ERR_CONFIG', `Kafka partitions must be a positive integer, got ${partitions}`)
  const replicationFactor = opts.replicationFactor ?? -1
  if (!Number.isInteger(replicationFactor) || replicationFactor === 0 || replicationFactor < -1) {
    throw rsError('RS_ERR_CONFIG', `Kafka replicationFactor must be a positive integer, got ${replicationFactor}`)
  }
  const sendTimeoutMs = positive('sendTimeoutMs', opts.sendTimeoutMs ?? 15_000)
  const connectTimeoutMs = positive('connectTimeoutMs', opts.connectTimeoutMs ?? 20_000)
  const maxRequestBytes = positive('maxRequestBytes', opts.maxRequestBytes ?? 4 * 1024 * 1024)
  return createProducerSink({
    client,
    driver: { brokers: [...opts.brokers], clientId: opts.clientId ?? 'rigstream', compression, log: opts.log, requestTimeoutMs: Math.max(1000, Math.floor(sendTimeoutMs * 2 / 3)) },
    partitions,
    replicationFactor,
    sendTimeoutMs,
    connectTimeoutMs,
    maxRequestBytes,
    log: opts.log
  })
}

function positive (name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw rsError('RS_ERR_CONFIG', `Kafka ${name} must be a positive number, got ${v}`)
  return v
}
