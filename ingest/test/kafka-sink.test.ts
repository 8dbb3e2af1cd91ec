// The Kafka sink against a REAL Apache Kafka broker (tests/support/kafka.ts), one contract suite
// run on each client library behind the KafkaSink interface.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import kafkajs from 'kafkajs'
import { pino } from 'pino'
import { RigstreamError, withRetry } from '../../common/src/errors.js'
import { DeadLetter, KAFKA_TOPICS, Prediction } from '../../schemas/src/index.js'
import { createKafkaProcess, startKafka, type KafkaProcess } from '../../tests/support/kafka.js'
import { createKafkaSink, DEFAULT_KAFKA_CLIENT, FRAME_SCHEMA, type KafkaClientName, type KafkaFrameRecord, type KafkaSink } from '../src/sinks/kafka.js'
import { registerKafkajsCodecs } from '../src/sinks/kafka-kafkajs-codecs.js'
import { encodeFrame, frameObject } from './frames.js'

// the checks below read with a kafkajs consumer, which needs the lz4 codec for what the sink writes
registerKafkajsCodecs()

const log = pino({ level: 'silent' })
const CLIENTS: KafkaClientName[] = ['kafkajs', 'platformatic']
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

// Partition of each key on a 6-partition topic as Java's producer computes it,
// Utils.toPositive(Utils.murmur2(key)) % 6, printed with kafka-clients 4.4.0 (the broker's jars)
// by a 5-line Java main. Half the murmur2 values are negative: that is where partitioners differ.
const JAVA_PARTITION_OF_6: Record<string, number> = {
  'kpart/rig-1': 0, // murmur2 -136240856
  'kpart/rig-2': 3, // murmur2 1370916237
  'kpart/rig-3': 4, // murmur2 455921344
  'kpart/rig-4': 2, // murmur2 -1762859958
  'kpart/rig-5': 3, // murmur2 -182279921
  'kpart/rig-6': 3, // murmur2 760773105
  'kpart/rig-7': 1, // murmur2 -1545582661
  'kpart/rig-8': 0, // murmur2 2140355286
  'kpart/rig-9': 1, // murmur2 2111285383
  'kpart/rig-10': 1, // murmur2 -1023295645
  'kpart/rig-11': 3, // murmur2 1559264163
  'kpart/rig-12': 2, // murmur2 -465007458
  'kpart/rig-13': 3, // murmur2 208209423
  'kpart/rig-14': 5, // murmur2 825775979
  'kpart/rig-15': 2, // murmur2 -543748686
  'kpart/rig-16': 4 // murmur2 451725010
}

interface Got { partition: number, offset: number, key: string, value: Buffer, headers: Record<string, string> }

/** Every record of `topic` up to its end offsets as they are now, read with a kafkajs consumer. */
async function readTopic (brokers: string, topic: string): Promise<Got[]> {
  const kafka = new kafkajs.Kafka({ brokers: brokers.split(','), logLevel: kafkajs.logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  const ends = await admin.fetchTopicOffsets(topic)
  await admin.disconnect()
  const pending = new Map(ends.filter(e => Number(e.high) > Number(e.low)).map(e => [e.partition, Number(e.high)]))
  const got: Got[] = []
  if (pending.size === 0) return got
  const consumer = kafka.consumer({ groupId: `kafka-sink-test-${randomBytes(6).toString('hex')}` })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  try {
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          const end = pending.get(partition)
          if (end === undefined) return
          const offset = Number(message.offset)
          if (offset >= end) return
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v)
          got.push({ partition, offset, key: String(message.key), value: message.value ?? Buffer.alloc(0), headers })
          if (offset + 1 >= end) pending.delete(partition)
          if (pending.size === 0) resolve()
        }
      }).catch(reject)
    })
  } finally {
    await consumer.disconnect()
  }
  return got.sort((a, b) => a.partition - b.partition || a.offset - b.offset)
}

async function partitionCount (brokers: string, topic: string): Promise<number> {
  const admin = new kafkajs.Kafka({ brokers: brokers.split(','), logLevel: kafkajs.logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] })
    return meta.topics[0].partitions.length
  } finally { await admin.disconnect() }
}

function frames (tenant: string, rigs: string[], seqs: number[]): KafkaFrameRecord[] {
  const out: KafkaFrameRecord[] = []
  for (const seq of seqs) {
    for (const rig of rigs) out.push({ tenant, rig, seq, bytes: encodeFrame(frameObject({ tenant, rig, seq, windowStartUs: 1_700_000_000_000_000 + (seq % 1_000_000) * 1_000_000 })), schema: FRAME_SCHEMA })
  }
  return out
}

function isUnavailable (err: unknown): boolean {
  return err instanceof RigstreamError && err.code === 'RS_ERR_KAFKA_UNAVAILABLE' && err.retriable
}

async function sink (brokers: string, client: KafkaClientName, extra: { sendTimeoutMs?: number } = {}): Promise<KafkaSink> {
  const s = createKafkaSink({ brokers: brokers.split(','), client, log, clientId: `test-${client}`, ...extra })
  await s.connect()
  cleanups.push(() => s.close())
  return s
}

let brokers = ''
before(async () => {
  const k = await startKafka()
  brokers = k.brokers
  cleanups.push(() => k.stop())
})

for (const client of CLIENTS) {
  describe(`KafkaSink on ${client}`, () => {
    test('frames: readable with their key, headers and bytes, in order per rig, on the partition Java picks', async () => {
      const s = await sink(brokers, client)
      assert.equal(s.client, client)
      const rigs = Object.keys(JAVA_PARTITION_OF_6).map(k => k.split('/')[1])
      // seqs unique to this run, so a broker shared with earlier runs does not confuse the count
      const base = Date.now() * 10 + CLIENTS.indexOf(client)
      const seqs = Array.from({ length: 12 }, (_, i) => base + i * 100)
      const sent = frames('kpart', rigs, seqs)
      // four calls, interleaving rigs inside each: order must hold across calls too
      for (let i = 0; i < 4; i++) await s.sendFrames(sent.slice(i * sent.length / 4, (i + 1) * sent.length / 4))
      assert.equal(s.produced, sent.length)

      const mine = new Set(seqs.map(String))
      const got = (await readTopic(brokers, KAFKA_TOPICS.frames)).filter(g => g.key.startsWith('kpart/') && mine.has(g.headers.seq))
      assert.equal(got.length, sent.length, 'each frame exactly once (idempotent producer, no failures)')
      const bySeqRig = new Map(sent.map(r => [`${r.rig}#${r.seq}`, r]))
      const sixPartitions = await partitionCount(brokers, KAFKA_TOPICS.frames) === 6
      const lastSeq = new Map<string, number>()
      for (const g of got) {
        const r = bySeqRig.get(`${g.headers.rig}#${g.headers.seq}`)
        assert.ok(r, `unexpected record ${g.key} seq ${g.headers.seq}`)
        assert.equal(g.key, `kpart/${r.rig}`)
        assert.deepEqual(g.headers, { tenant: 'kpart', rig: r.rig, seq: String(r.seq), schema: FRAME_SCHEMA })
        assert.ok(g.value.equals(Buffer.from(r.bytes)), `bytes of ${g.key} seq ${r.seq}`)
        if (sixPartitions) assert.equal(g.partition, JAVA_PARTITION_OF_6[g.key], `partition of ${g.key}`)
        // got is sorted by offset within a partition and a rig lives on one partition
        assert.ok((lastSeq.get(r.rig) ?? -1) < r.seq, `order of ${r.rig}`)
        lastSeq.set(r.rig, r.seq)
      }
    })

    test('dead letters land in rs.deadletter.v1 with their key, reason and bytes', async () => {
      const s = await sink(brokers, client)
      const marker = randomBytes(6).toString('hex')
      const records = ['RS_ERR_DECODE', 'RS_ERR_UNKNOWN_CHANNEL', 'RS_ERR_CLOCK'].map((reason, i) => ({
        key: i === 0 ? `rs/v1/dl-${marker}/rig-1/frames` : `dl-${marker}/rig-${i}`,
        reason,
        bytes: DeadLetter.encode({ reason, detail: marker, topic: `rs/v1/dl-${marker}/rig-${i}/frames`, tenant: `dl-${marker}`, rig: `rig-${i}`, seq: i, receivedUs: Date.now() * 1000, payload: Buffer.from('not a frame'), payloadSize: 11 }).finish()
      }))
      await s.sendDeadLetters(records)
      assert.equal(s.deadLettersProduced, 3)
      assert.equal(s.produced, 0)
      const got = (await readTopic(brokers, KAFKA_TOPICS.deadletter)).filter(g => g.key.includes(marker))
      assert.equal(got.length, 3)
      for (const r of records) {
        const g = got.find(x => x.key === r.key)
        assert.ok(g, `dead letter ${r.key}`)
        assert.deepEqual(g.headers, { reason: r.reason, schema: 'rigstream.v1.DeadLetter' })
        assert.ok(g.value.equals(Buffer.from(r.bytes)))
        assert.equal(DeadLetter.decode(g.value).detail, marker)
      }
    })

    test('predictions land in rs.predictions.v1 keyed tenant/rig', async () => {
      const s = await sink(brokers, client)
      const tenant = `p${randomBytes(5).toString('hex')}`
      const bytes = Prediction.encode({ tenant, rig: 'rig-1', windowStartUs: 1, windowEndUs: 2, modelVersion: 'm1', source: Prediction.Source.CLOUD, heads: [] }).finish()
      await s.sendPredictions([{ tenant, rig: 'rig-1', bytes, modelVersion: 'm1' }])
      assert.equal(s.predictionsProduced, 1)
      const got = (await readTopic(brokers, KAFKA_TOPICS.predictions)).filter(g => g.key === `${tenant}/rig-1`)
      assert.equal(got.length, 1)
      assert.deepEqual(got[0].headers, { tenant, rig: 'rig-1', schema: 'rigstream.v1.Prediction', model: 'm1' })
      assert.equal(Prediction.decode(got[0].value).tenant, tenant)
    })

    test('broker stopped or killed: sends reject with retriable RS_ERR_KAFKA_UNAVAILABLE, and succeed again after a restart', { timeout: 300_000 }, async () => {
      // a broker of its own: stopping the shared one would break the other tests
      const k: KafkaProcess = await createKafkaProcess()
      cleanups.push(() => k.destroy())
      await k.start()
      const s = await sink(k.brokers, client, { sendTimeoutMs: 6000 })
      const rigs = ['rig-a', 'rig-b', 'rig-c']
      const sent: KafkaFrameRecord[] = []
      let seq = 0
      const send = async (): Promise<void> => {
        const batch = frames('kfault', rigs, [++seq, ++seq])
        // what ingest does: retry retriable errors (the broker may still be electing leaders)
        await withRetry(() => s.sendFrames(batch), { retries: 30, minMs: 200, maxMs: 2000 })
        sent.push(...batch)
      }
      await send()

      for (const kill of [false, true]) {
        await k.stop({ kill })
        const down = frames('kfault', rigs, [seq + 1])
        await assert.rejects(s.sendFrames(down), isUnavailable, `send with the broker ${kill ? 'killed' : 'stopped'}`)
        await assert.rejects(s.sendFrames(down), isUnavailable, 'a second send fails the same way (no hang on a dead session)')
        await k.start()
        await send()
        await send()
      }

      const got = await readTopic(k.brokers, KAFKA_TOPICS.frames)
      const seen = new Set(got.map(g => `${g.headers.rig}#${g.headers.seq}`))
      for (const r of sent) assert.ok(seen.has(`${r.rig}#${r.seq}`), `frame ${r.rig}#${r.seq} is in Kafka`)
      // at-least-once: a resend after a lost acknowledgement may duplicate, never reorder a rig's first copies
      for (const rig of rigs) {
        const firsts: number[] = []
        for (const g of got.filter(x => x.headers.rig === rig)) if (!firsts.includes(Number(g.headers.seq))) firsts.push(Number(g.headers.seq))
        assert.deepEqual(firsts, [...firsts].sort((a, b) => a - b), `order of ${rig}`)
      }
      assert.ok(s.produced >= sent.length)
    })
  })
}

test('connect() to an address where no broker listens rejects with retriable RS_ERR_KAFKA_UNAVAILABLE', async () => {
  const { freePort } = await import('../../common/src/net.js')
  const port = await freePort()
  for (const client of CLIENTS) {
    const s = createKafkaSink({ brokers: [`127.0.0.1:${port}`], client, log, connectTimeoutMs: 4000 })
    await assert.rejects(s.connect(), isUnavailable, client)
    await s.close()
  }
})

test('a send before connect() or after close() rejects instead of hanging', async () => {
  const s = createKafkaSink({ brokers: brokers.split(','), log })
  await assert.rejects(s.sendFrames(frames('knc', ['rig-1'], [1])), isUnavailable)
  await s.connect()
  await s.close()
  await assert.rejects(s.sendFrames(frames('knc', ['rig-1'], [2])), isUnavailable)
  assert.equal(s.client, DEFAULT_KAFKA_CLIENT)
})

test('options are checked: RS_ERR_CONFIG naming the bad option', () => {
  const bad: Array<[Parameters<typeof createKafkaSink>[0], RegExp]> = [
    [{ brokers: [], log }, /brokers/],
    [{ brokers: ['localhost'], log }, /host:port/],
    [{ brokers: ['h:1'], log, client: 'rdkafka' as KafkaClientName }, /client/],
    [{ brokers: ['h:1'], log, client: 'kafkajs', compression: 'zstd' as 'lz4' }, /zstd.*kafkajs/],
    [{ brokers: ['h:1'], log, partitions: 0 }, /partitions/],
    [{ brokers: ['h:1'], log, sendTimeoutMs: -1 }, /sendTimeoutMs/]
  ]
  for (const [opts, msg] of bad) {
    assert.throws(() => createKafkaSink(opts), (e: unknown) => e instanceof RigstreamError && e.code === 'RS_ERR_CONFIG' && msg.test(e.message), String(msg))
  }
})
