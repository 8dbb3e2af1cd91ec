// Issue 5: the gap between the two sinks. Kafka is down, so `rigstream ingest` commits batches to
// PostgreSQL and then waits for Kafka, acknowledging nothing; it is killed (SIGKILL) right there.
// After Kafka and ingest come back, the broker redelivers those frames, PostgreSQL says it has
// them already, and ingest must still send them to Kafka (commit.ts step 4) before it
// acknowledges: every frame ends up once in PostgreSQL and at least once in rs.frames.v1. The
// restart also finds a backlog larger than ingest may hold waiting in its session.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { Consumer } from '@platformatic/kafka'
import { startMosquitto } from '../support/mosquitto.js'
import { freshDatabase } from '../support/pg.js'
import { createKafkaProcess } from '../support/kafka.js'
import { spawnIngest, type IngestProc } from '../support/ingest-proc.js'
import { startSteadyPublisher } from '../support/ingest-publisher.js'
import { checkDelivery, runCleanups, sleep, storedCount, waitFor } from '../support/ingest-check.js'
import { requireProfile } from '../../common/src/profile.js'
import { FrameBatch, KAFKA_TOPICS } from '../../schemas/src/index.js'
import { int64ToNumber } from '../../ingest/src/int64.js'

const cleanups: Array<() => Promise<unknown>> = []
after(async () => { await runCleanups(cleanups) })
const CHANNELS = requireProfile().channels.length

test('ingest killed after the PostgreSQL commit, before Kafka acknowledged: the redelivered frames still reach Kafka', async t => {
  const kafka = await createKafkaProcess({})
  cleanups.push(() => kafka.destroy())
  await kafka.start()
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())
  const url = await freshDatabase('ingkkill')
  const tenant = `kk${randomBytes(3).toString('hex')}`
  const clientId = `ing-${tenant}`
  const env = { RS_INGEST_BATCH_FRAMES: '50' }
  let ing: IngestProc = await spawnIngest({ mqttUrl: broker.url, databaseUrl: url, clientId, kafkaBrokers: kafka.brokers, env })
  cleanups.push(() => ing.kill())
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  cleanups.push(() => pool.end())

  const rigs = ['x1', 'x2', 'x3']
  // publishes until the restarted ingest is up (the kill is mid-stream whatever this machine's speed)
  const pub = await startSteadyPublisher({ mqttUrl: broker.url, tenant, rigs, framesPerRig: Infinity, ratePerSec: 70 })
  cleanups.push(() => pub.stop())

  await waitFor('frames through PostgreSQL and Kafka', async () => (await ing.metrics()).kafka_produced >= 100)
  await kafka.stop({ kill: true })
  // ingest goes on committing the batch in hand to PostgreSQL, then waits for Kafka
  const before = await storedCount(pool, tenant)
  await waitFor('a batch committed in PostgreSQL but not acknowledged', async () => {
    const m = await ing.metrics()
    return (await storedCount(pool, tenant)) > m.stored && m.pending_acks > 0
  }, 60_000, 50)
  const inDbOnly = (await storedCount(pool, tenant)) - (await ing.metrics()).stored
  t.diagnostic(`frames committed to PostgreSQL but not to Kafka when ingest was killed: ${inDbOnly} (stored before the Kafka outage: ${before})`)
  await ing.kill()
  assert.equal(ing.proc.signalCode, 'SIGKILL')
  // the broker queues more for the session than ingest may hold (4 x 50): the restarted ingest
  // gets a full buffer before its SUBACK (start-up used to deadlock there)
  await waitFor('a backlog larger than ingest may hold', async () => pub.sent - await storedCount(pool, tenant) > 400, 60_000)
  await kafka.start()
  ing = await spawnIngest({ mqttUrl: broker.url, databaseUrl: url, clientId, kafkaBrokers: kafka.brokers, env })
  await sleep(2000)
  await pub.stop()
  const published = pub.publishedPerRig()
  const total = [...published.values()].reduce((a, b) => a + b, 0)
  await waitFor('every frame stored', async () => await storedCount(pool, tenant) >= total, 120_000, 250)
  await waitFor('ingest to settle', async () => (await ing.metrics()).pending_acks === 0, 120_000)
  const m = await ing.metrics()
  assert.ok(m.duplicates_dropped >= inDbOnly, `the frames PostgreSQL already had came back and were recognised (${m.duplicates_dropped} >= ${inDbOnly})`)
  const r = await checkDelivery(pool, tenant, published, CHANNELS)
  assert.deepEqual({ lost: r.lost, duplicates: r.duplicates, unexpected: r.unexpected }, { lost: 0, duplicates: 0, unexpected: 0 }, r.examples.join('; '))

  const consumer = new Consumer({ groupId: `g-${tenant}`, clientId: 'ingest-fault-test', bootstrapBrokers: [kafka.brokers] })
  cleanups.push(async () => { await consumer.close(true) })
  const stream = await consumer.consume({ topics: [KAFKA_TOPICS.frames], mode: 'earliest', autocommit: false })
  cleanups.push(async () => { await stream.close() })
  const seen = new Map<string, number>()
  stream.on('data', (msg: { value: Buffer }) => {
    const f = FrameBatch.decode(msg.value)
    if (f.tenant !== tenant) return
    const k = `${f.rig}/${int64ToNumber(f.seq)}`
    seen.set(k, (seen.get(k) ?? 0) + 1)
  })
  await waitFor('every frame in Kafka', () => seen.size >= total, 60_000).catch(() => {})
  const missing = rigs.flatMap(rig => Array.from({ length: published.get(rig)! }, (_, i) => `${rig}/${i + 1}`)).filter(k => !seen.has(k))
  assert.deepEqual(missing.slice(0, 20), [], `${missing.length} frames in PostgreSQL are missing from Kafka`)
  assert.equal(seen.size, total)
})
