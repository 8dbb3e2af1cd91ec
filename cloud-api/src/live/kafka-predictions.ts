/**
 * Fills a LiveBus from Kafka rs.predictions.v1 for a standalone cloud-api, so the cloud workers'
 * predictions (`rigstream worker`, docs/worker.md) reach dashboards live. Each api instance reads
 * every prediction: a consumer group of its own, starting at the newest offset (the live view is
 * best-effort; stored predictions are served by REST). Payloads that do not decode, or whose
 * tenant/rig disagree with the headers, are counted and skipped.
 */
import { randomBytes } from 'node:crypto'
import { Consumer, stringDeserializer, type Message } from '@platformatic/kafka'
import type { LiveBus } from '../../../common/src/live.js'
import type { Logger } from '../../../common/src/logger.js'
import { KAFKA_TOPICS, Prediction } from '../../../schemas/src/index.js'

export interface KafkaPredictionsFeedOptions {
  brokers: string[]
  bus: LiveBus
  log: Logger
  /** default: a group of its own per instance (every instance needs every prediction) */
  groupId?: string
}

export interface KafkaPredictionsFeed {
  stats (): { received: number, emitted: number, decodeErrors: number }
  close (): Promise<void>
}

/** Resolves once the consumer is positioned at the newest offsets. */
export async function startKafkaPredictionsFeed (o: KafkaPredictionsFeedOptions): Promise<KafkaPredictionsFeed> {
  const s = { received: 0, emitted: 0, decodeErrors: 0 }
  const consumer = new Consumer<string, Buffer, string, string>({
    clientId: 'rigstream-api-live',
    groupId: o.groupId ?? `rs-api-live-${randomBytes(6).toString('hex')}`,
    bootstrapBrokers: o.brokers,
    autocommit: true,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTime: 200,
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer }
  })
  const stream = await consumer.consume({ topics: [KAFKA_TOPICS.predictions], mode: 'latest', autocommit: true })
  // resolved once the stream knows where it starts (the newest offsets): what is produced after is seen
  const positioned = new Promise<void>(resolve => {
    stream.once('offsets', () => resolve())
    setTimeout(resolve, 15_000).unref()
  })
  stream.on('data', (m: Message<string, Buffer, string, string>) => {
    s.received++
    try {
      const prediction = Prediction.decode(m.value)
      const tenant = m.headers.get('tenant') ?? prediction.tenant
      const rig = m.headers.get('rig') ?? prediction.rig
      if (!tenant || !rig || prediction.tenant !== tenant || prediction.rig !== rig) throw new Error('tenant or rig differ between headers and payload')
      o.bus.emit('prediction', { tenant, rig, prediction })
      s.emitted++
    } catch (err) {
      s.decodeErrors++
      if (Math.log10(s.decodeErrors) % 1 === 0) o.log.warn({ err: (err as Error).message, count: s.decodeErrors, code: 'RS_ERR_DECODE' }, 'live feed: prediction skipped')
    }
  })
  stream.on('error', err => o.log.warn({ err }, 'live feed: Kafka stream error'))
  await positioned
  o.log.info({ topic: KAFKA_TOPICS.predictions }, 'live feed: following predictions on Kafka')
  return {
    stats: () => ({ ...s }),
    async close () {
      await stream.close().catch(() => {})
      await new Promise<void>(resolve => consumer.close(true, () => resolve()))
    }
  }
}
