// KafkaDriver on @platformatic/kafka (pure JavaScript; gzip from zlib, snappy and lz4 in WASM).
import { Admin, Producer, ProduceAcks, compatibilityPartitioner, stringSerializer } from '@platformatic/kafka'
import { asBuffer, type DriverOptions, type DriverProducer, type KafkaDriver, type OutRecord, type TopicSpec } from './kafka-driver.js'

// bounded: the sink's deadline and its fresh session after a failure do the rest (kafka-producer.ts)
const RETRIES = 5
const RETRY_DELAY_MS = 300
const LEADER_WAIT_STEP_MS = 100

export function createPlatformaticDriver (o: DriverOptions): KafkaDriver {
  const base = {
    clientId: o.clientId,
    bootstrapBrokers: o.brokers,
    connectTimeout: Math.min(3000, o.requestTimeoutMs),
    timeout: o.requestTimeoutMs,
    retries: RETRIES,
    retryDelay: RETRY_DELAY_MS
  }

  return {
    async ensureTopics (specs: TopicSpec[]) {
      const admin = new Admin(base)
      try {
        const existing = new Set(await admin.listTopics())
        for (const s of specs.filter(s => !existing.has(s.topic))) {
          try {
            await admin.createTopics({
              topics: [s.topic],
              partitions: s.partitions,
              replicas: s.replicationFactor,
              configs: Object.entries(s.configs).map(([name, value]) => ({ name, value }))
            })
            o.log.info({ topic: s.topic }, 'Kafka topic created')
          } catch (err) {
            // another instance created it meanwhile
            if (!(err as { findBy?: (k: string, v: unknown) => unknown }).findBy?.('apiId', 'TOPIC_ALREADY_EXISTS')) throw err
          }
        }
        // a new topic has no leaders for a moment; producing before that only burns retries
        const topics = specs.map(s => s.topic)
        for (;;) {
          const meta = await admin.metadata({ topics, forceUpdate: true })
          const ready = topics.every(t => meta.topics.get(t)?.partitions.every(p => p.leader >= 0))
          if (ready) return new Map(topics.map(t => [t, meta.topics.get(t)?.partitionsCount ?? 0]))
          await new Promise(resolve => setTimeout(resolve, LEADER_WAIT_STEP_MS))
        }
      } finally {
        await admin.close()
      }
    },

    async openProducer (): Promise<DriverProducer> {
      const producer = new Producer<string, Buffer, string, string>({
        ...base,
        idempotent: true,
        acks: ProduceAcks.ALL,
        compression: o.compression,
        autocreateTopics: false,
        // Java's partitioner (murmur2 & 0x7fffffff); the library's default differs for half the keys
        partitioner: compatibilityPartitioner,
        serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer }
      })
      try {
        await producer.initIdempotentProducer({})
      } catch (err) {
        await forceClose(producer).catch(() => {})
        throw err
      }
      return {
        async send (topic: string, records: OutRecord[]) {
          await producer.send({ messages: records.map(r => ({ topic, key: r.key, value: asBuffer(r.value), headers: new Map(r.headers) })) })
        },
        close: () => forceClose(producer)
      }
    },

    async close () {}
  }
}

/** close(true): also ends producer streams; typed through the callback overload. */
function forceClose (producer: Producer<string, Buffer, string, string>): Promise<void> {
  return new Promise((resolve, reject) => producer.close(true, err => { if (err) reject(err); else resolve() }))
}
