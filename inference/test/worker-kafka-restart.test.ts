// The Kafka broker stopped and started again under a running worker (a broker of its own, not the
// shared test broker): the worker goes on reading by itself once the broker is back, and every
// window, produced before, during and after the outage, ends with exactly one stored prediction.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRootLogger } from '../../common/src/logger.js'
import { createKafkaProcess, restartKafka } from '../../tests/support/kafka.js'
import { startKafkaWorker } from '../src/worker/kafka.js'
import { createPredictionStore } from '../src/worker/store.js'
import { frameProducer, migratedDatabase, produceFrames, replayFrames, uniqueId, waitFor } from './worker-support.js'

const log = createRootLogger({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

test('the Kafka broker restarted under a running worker: it reads on by itself; every window has exactly one stored prediction', { timeout: 600_000 }, async () => {
  const kafka = await createKafkaProcess()
  cleanups.push(() => kafka.destroy())
  await kafka.start()
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const tenant = uniqueId('kr')
  const rigs = Array.from({ length: 8 }, (_, i) => `rig-${i}`)
  const replay = replayFrames(tenant, rigs, rigs.map((_, i) => 1 + i * 50), 6)
  // frames in time order: the first half before the outage, the second after it
  const half = Math.floor(replay.frames.length / 2)
  const first = replay.frames.slice(0, half)
  const second = replay.frames.slice(half)
  const count = async (): Promise<number> => Number((await db.pool.query('SELECT count(*) FROM predictions WHERE tenant = $1', [tenant])).rows[0].count)

  const worker = await startKafkaWorker({ brokers: [kafka.brokers], groupId: uniqueId('g'), store: createPredictionStore(db.pool), log, maxBatch: 8, maxWaitMs: 20 })
  let closing: Promise<void> | undefined
  cleanups.push(() => (closing ??= worker.close()))

  let producer = await frameProducer(kafka.brokers)
  await produceFrames(producer, first)
  await producer.close()
  await waitFor('predictions of the first half', async () => await count() > 0)
  const before = await count()

  // down for 15 s: longer than the client's own retries (5 x 300 ms) and its session timeout (10 s)
  await restartKafka(kafka, { downMs: 15_000 })
  producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  await produceFrames(producer, second)

  await waitFor('every window predicted after the restart', async () => await count() >= replay.windows.length, 240_000)
  // a little longer: a late duplicate would show here
  await new Promise(resolve => setTimeout(resolve, 3000))
  // (the table's key makes a repeat a no-op: what could go wrong is a window missing or misbuilt)
  const rows = (await db.pool.query<{ rig: string, start_us: string }>(
    'SELECT rig, (extract(epoch FROM window_start) * 1000000)::bigint::text AS start_us FROM predictions WHERE tenant = $1', [tenant])).rows
  const got = rows.map(r => `${r.rig}@${r.start_us}`).sort()
  const want = replay.windows.map(w => `${w.rig}@${w.windowStartUs}`).sort()
  assert.deepEqual(got, want, `exactly the replayed windows (${before} stored before the restart)`)
  const st = worker.stats()
  assert.equal(st.streamClosed, false, 'the consumer stream is open')
})
