// Issue 5: the Kafka broker restarted while frames stream in, ingest running with Kafka enabled.
// Ingest acknowledges a frame only once PostgreSQL committed it AND Kafka acknowledged it, so
// while Kafka is down it holds; after the restart every frame must be in PostgreSQL exactly once
// and in rs.frames.v1 at least once (at-least-once: copies are allowed, consumers dedup by
// key + seq). A Kafka broker of this test's own (stopped and started on its port and data), a
// real Mosquitto, the shared test PostgreSQL.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { pino } from 'pino'
import { Consumer } from '@platformatic/kafka'
import { startMosquitto } from '../support/mosquitto.js'
import { freshDatabase } from '../support/pg.js'
import { createKafkaProcess } from '../support/kafka.js'
import { startSteadyPublisher } from '../support/ingest-publisher.js'
import { checkDelivery, runCleanups, sleep, storedCount, waitFor } from '../support/ingest-check.js'
import { requireProfile } from '../../common/src/profile.js'
import { FrameBatch, KAFKA_TOPICS } from '../../schemas/src/index.js'
import { int64ToNumber } from '../../ingest/src/int64.js'
import { migrate } from '../../ingest/src/store/migrate.js'
import { startIngest } from '../../ingest/src/service.js'

const log = pino({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { await runCleanups(cleanups) })
const CHANNELS = requireProfile().channels.length

test('Kafka restarted (SIGTERM, then SIGKILL) mid-stream: acks held while it is down; every frame in PostgreSQL once and in Kafka at least once', async t => {
  const kafka = await createKafkaProcess({})
  cleanups.push(() => kafka.destroy())
  await kafka.start()
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())
  const url = await freshDatabase('ingkrestart')
  await migrate(url, log)
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  cleanups.push(() => pool.end())

  const tenant = `kr${randomBytes(3).toString('hex')}`
  const ingest = await startIngest({
    mqttUrl: broker.url, username: 'svc:ingest', password: 'x', databaseUrl: url, log,
    kafkaBrokers: [kafka.brokers], clientId: `ing-${tenant}`, batchMaxFrames: 50, maxPendingFrames: 200
  })
  cleanups.push(() => ingest.close())

  const rigs = ['q1', 'q2', 'q3', 'q4']
  // publishes until both outages are over (so they are mid-stream whatever this machine's speed)
  const pub = await startSteadyPublisher({ mqttUrl: broker.url, tenant, rigs, framesPerRig: Infinity, ratePerSec: 80 })
  cleanups.push(() => pub.stop())

  // twice: a controlled shutdown (SIGTERM), then a crash (SIGKILL: sends in flight get no answer)
  for (const [kill, produced] of [[false, 150], [true, 700]] as const) {
    await waitFor(`${produced} frames through PostgreSQL and Kafka`, () => ingest.stats().kafkaProduced! >= produced)
    await kafka.stop({ kill })
    await sleep(1500) // a send in flight when the broker went away fails or ends meanwhile
    const down = ingest.stats()
    await sleep(3000)
    const stillDown = ingest.stats()
    assert.equal(stillDown.kafkaProduced, down.kafkaProduced, 'Kafka is down: nothing acknowledged by it')
    assert.equal(stillDown.stored, down.stored, 'no frame is counted (and acknowledged) while Kafka cannot take it')
    assert.ok(stillDown.pendingAcks > 0 && stillDown.pendingAcks <= 201, `ingest holds a bounded number of messages (${stillDown.pendingAcks})`)
    await kafka.start()
  }

  await sleep(2000)
  await pub.stop()
  const published = pub.publishedPerRig()
  const total = [...published.values()].reduce((a, b) => a + b, 0)
  await waitFor('every frame stored', async () => await storedCount(pool, tenant) >= total, 120_000, 250)
  await waitFor('ingest to settle', () => ingest.stats().pendingAcks === 0, 120_000)
  const r = await checkDelivery(pool, tenant, published, CHANNELS)
  assert.deepEqual({ lost: r.lost, duplicates: r.duplicates, unexpected: r.unexpected }, { lost: 0, duplicates: 0, unexpected: 0 }, r.examples.join('; '))
  assert.equal(r.stored, total)

  // everything in rs.frames.v1, read from the start
  const consumer = new Consumer({ groupId: `g-${tenant}`, clientId: 'ingest-fault-test', bootstrapBrokers: [kafka.brokers] })
  cleanups.push(async () => { await consumer.close(true) })
  const stream = await consumer.consume({ topics: [KAFKA_TOPICS.frames], mode: 'earliest', autocommit: false })
  cleanups.push(async () => { await stream.close() })
  const seen = new Map<string, number>()
  const bad: string[] = []
  let records = 0
  stream.on('data', (m: { key: Buffer, value: Buffer, headers: Map<Buffer, Buffer> }) => {
    const f = FrameBatch.decode(m.value)
    if (f.tenant !== tenant) return
    records++
    const seq = int64ToNumber(f.seq)
    const headers = new Map([...m.headers].map(([k, v]) => [String(k), String(v)]))
    if (String(m.key) !== `${tenant}/${f.rig}` || headers.get('seq') !== String(seq)) bad.push(`${String(m.key)} seq header ${headers.get('seq')}`)
    const k = `${f.rig}/${seq}`
    seen.set(k, (seen.get(k) ?? 0) + 1)
  })
  await waitFor('every frame in Kafka', () => seen.size >= total, 60_000)
  assert.deepEqual(bad, [], 'key tenant/rig and header seq on every record')
  const expected = rigs.flatMap(rig => Array.from({ length: published.get(rig)! }, (_, i) => `${rig}/${i + 1}`)).sort()
  assert.deepEqual([...seen.keys()].sort(), expected, 'every frame in Kafka, none that was not published')
  const s = ingest.stats()
  assert.ok(s.kafkaProduced! >= total, `Kafka acknowledged every frame at least once (${s.kafkaProduced})`)
  t.diagnostic(`Kafka records for ${total} frames: ${records} (${records - total} copies from retries after the restart)`)
})
