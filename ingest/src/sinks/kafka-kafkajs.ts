// KafkaDriver on kafkajs (pure JavaScript; gzip built in, lz4 and snappy registered from WASM codecs).
import kafkajs from 'kafkajs'
import { registerKafkajsCodecs } from './kafka-kafkajs-codecs.js'
import type { Logger } from '../../../common/src/logger.js'
import { asBuffer, type DriverOptions, type DriverProducer, type KafkaDriver, type OutRecord, type TopicSpec } from './kafka-driver.js'

const { Kafka, CompressionTypes, Partitioners, logLevel } = kafkajs

const COMPRESSION = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4
} as const

export function createKafkajsDriver (o: DriverOptions): KafkaDriver {
  registerKafkajsCodecs()
  const kafka = new Kafka({
    brokers: o.brokers,
    clientId: o.clientId,
    connectionTimeout: Math.min(3000, o.requestTimeoutMs),
    requestTimeout: o.requestTimeoutMs,
    // bounded: the sink's deadline and its fresh session after a failure replace kafkajs's
    // endless retries of an idempotent producer (kafka-producer.ts explains why)
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(o.log)
  })
  const compression = COMPRESSION[o.compression]

  return {
    async ensureTopics (specs: TopicSpec[]) {
      const admin = kafka.admin()
      await admin.connect()
      try {
        const existing = new Set(await admin.listTopics())
        const missing = specs.filter(s => !existing.has(s.topic))
        if (missing.length > 0) {
          try {
            await admin.createTopics({
              waitForLeaders: true,
              topics: missing.map(s => ({
                topic: s.topic,
                numPartitions: s.partitions,
                replicationFactor: s.replicationFactor,
                configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value }))
              }))
            })
            o.log.info({ topics: missing.map(s => s.topic) }, 'Kafka topics created')
          } catch (err) {
            // another instance created them meanwhile
            if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err
          }
        }
        const meta = await admin.fetchTopicMetadata({ topics: specs.map(s => s.topic) })
        return new Map(meta.topics.map(t => [t.name, t.partitions.length]))
      } finally {
        await admin.disconnect()
      }
    },

    async openProducer (): Promise<DriverProducer> {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Java's partitioner (murmur2 of the key): same partitions as Java and platformatic
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 }
      })
      await producer.connect()
      return {
        async send (topic: string, records: OutRecord[]) {
          await producer.send({ topic, acks: -1, timeout: o.requestTimeoutMs, compression, messages: records.map(toMessage) })
        },
        close: () => producer.disconnect()
      }
    },

    async close () {}
  }
}

function toMessage (r: OutRecord): { key: string, value: Buffer, headers: Record<string, string> } {
  const headers: Record<string, string> = {}
  for (const [k, v] of r.headers) headers[k] = v
  return { key: r.key, value: asBuffer(r.value), headers }
}

// kafkajs logs through its own logger: routed to pino, one level down (the sink reports the
// failures that matter itself), without the warning about the bounded retries we chose.
function pinoLogCreator (log: Logger): kafkajs.logCreator {
  return () => ({ level, log: entry }) => {
    const { message, ...rest } = entry
    if (typeof message === 'string' && message.startsWith('Limiting retries for the idempotent producer')) return
    const obj = { kafkajs: rest }
    if (level === logLevel.ERROR || level === logLevel.WARN) log.warn(obj, message)
    else if (level === logLevel.INFO) log.debug(obj, message)
    else log.trace(obj, message)
  }
}
