// A worker killed mid-batch (a real child process, `rigstream worker`, SIGKILL) loses nothing and
// duplicates nothing: a second worker in the same consumer group takes over from the committed
// offsets, and every window ends with exactly one stored prediction.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { createRootLogger } from '../../common/src/logger.js'
import { repoPath } from '../../common/src/paths.js'
import { startKafka } from '../../tests/support/kafka.js'
import { startKafkaWorker } from '../src/worker/kafka.js'
import { createPredictionStore, type PredictionStore } from '../src/worker/store.js'
import { frameProducer, migratedDatabase, produceFrames, replayFrames, uniqueId, waitFor } from './worker-support.js'

const log = createRootLogger({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

test('a worker SIGKILLed mid-batch: after a second worker takes over, every window has exactly one stored prediction', { timeout: 600_000 }, async () => {
  const kafka = await startKafka()
  cleanups.push(() => kafka.stop())
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const tenant = uniqueId('crash')
  const rigs = Array.from({ length: 40 }, (_, i) => `rig-${i}`)
  const replay = replayFrames(tenant, rigs, rigs.map((_, i) => 1 + i * 40), 6)
  const producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  await produceFrames(producer, replay.frames)
  const groupId = uniqueId('g')
  const count = async (): Promise<number> => Number((await db.pool.query('SELECT count(*) FROM predictions WHERE tenant = $1', [tenant])).rows[0].count)

  // worker 1: its own process, killed with SIGKILL right after it starts a batch (having stored some)
  const child: ChildProcess = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'worker', '--max-batch', '16', '--max-wait-ms', '20'], {
    env: { ...process.env, DATABASE_URL: db.url, KAFKA_BROKERS: kafka.brokers, RS_WORKER_GROUP: groupId, RS_LOG_LEVEL: 'debug', RS_WORKER_MIGRATE: '0' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  cleanups.push(async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  let stderr = ''
  child.stderr!.on('data', d => { stderr += String(d) })
  const exited = new Promise<string | null>(resolve => child.once('exit', (_code, signal) => resolve(signal)))
  let storedBatches = 0
  let killedAfter = -1
  const lines = createInterface({ input: child.stdout! })
  lines.on('line', line => {
    if (killedAfter >= 0) return
    let m: { msg?: string } = {}
    try { m = JSON.parse(line) } catch { return }
    if (m.msg === 'batch stored') storedBatches++
    // mid-batch: the model is running or its results are being written
    if (m.msg === 'batch started' && storedBatches >= 3) {
      killedAfter = storedBatches
      child.kill('SIGKILL')
    }
  })
  const signal = await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve('timeout'), 300_000))])
  assert.equal(signal, 'SIGKILL', `worker 1 was killed (stderr: ${stderr.slice(-2000)})`)
  const afterKill = await count()
  assert.ok(afterKill > 0, 'worker 1 stored some predictions before it died')
  assert.ok(afterKill < replay.windows.length, `worker 1 died before finishing (${afterKill} of ${replay.windows.length})`)

  // worker 2: same group, takes over from the committed offsets
  const worker2 = await startKafkaWorker({ brokers: kafka.brokers.split(','), groupId, store: createPredictionStore(db.pool), log, maxBatch: 16, maxWaitMs: 20 })
  cleanups.push(() => worker2.close())
  await waitFor('every window stored after the takeover', async () => await count() >= replay.windows.length)
  await worker2.commit()

  const { rows } = await db.pool.query<{ rig: string, ws: string, n: string }>(
    `SELECT rig, (extract(epoch from window_start) * 1000000)::bigint AS ws, count(*) AS n FROM predictions WHERE tenant = $1 GROUP BY rig, window_start`, [tenant])
  const got = new Map(rows.map(r => [`${r.rig}/${r.ws}`, Number(r.n)]))
  for (const w of replay.windows) assert.equal(got.get(`${w.rig}/${w.windowStartUs}`), 1, `${w.rig} window ${w.windowStartUs}: exactly one prediction`)
  assert.equal(rows.length, replay.windows.length, 'no prediction for a window that was not replayed')
  const s = worker2.stats()
  // >=: on the shared test broker the group may also read other tests' frames (other tenants)
  assert.ok(s.predictionsStored >= replay.windows.length - afterKill, 'worker 2 stored the windows worker 1 had not')
  log.info({ killedAfter, afterKill, redeliveredAlreadyStored: s.predictionsDuplicate }, 'takeover')
})

// Was marked todo after a missing window in 1 of 4 CI runs. The cause (a partition given back to
// a worker while records of its earlier ownership were still buffered) is forced deterministically
// by the last test in this file.
test('two workers in one group (the second joins mid-stream, a rebalance): every window has exactly one stored prediction', { timeout: 600_000 }, async () => {
  const kafka = await startKafka()
  cleanups.push(() => kafka.stop())
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const tenant = uniqueId('scale')
  const rigs = Array.from({ length: 24 }, (_, i) => `rig-${i}`)
  const replay = replayFrames(tenant, rigs, rigs.map((_, i) => 100 + i * 50), 8)
  const producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  const groupId = uniqueId('g')
  const count = async (): Promise<number> => Number((await db.pool.query('SELECT count(*) FROM predictions WHERE tenant = $1', [tenant])).rows[0].count)
  const opts = { brokers: kafka.brokers.split(','), groupId, store: createPredictionStore(db.pool), log, maxBatch: 8, maxWaitMs: 20 }
  const w1 = await startKafkaWorker({ ...opts, clientId: 'w1' })
  cleanups.push(() => w1.close())
  const half = Math.floor(replay.frames.length / 2)
  await produceFrames(producer, replay.frames.slice(0, half))
  await waitFor('worker 1 stores some', async () => await count() > 0)
  const w2 = await startKafkaWorker({ ...opts, clientId: 'w2' })
  cleanups.push(() => w2.close())
  await produceFrames(producer, replay.frames.slice(half))
  // what each worker went through, in the failure message too (a CI failure must explain itself)
  const seen = (w: typeof w1): string => {
    const s = w.stats()
    return JSON.stringify({ generation: s.generation, partitions: s.partitions, staleSkipped: s.staleSkipped, framesRead: s.framesRead, held: s.held, paused: s.paused, queued: s.queued, inFlight: s.inFlight, open: s.assembler.openWindows, dropped: s.assembler.windowsDropped, duplicates: s.assembler.duplicates, commitErrors: s.commitErrors, streamErrors: s.streamErrors, streamClosed: s.streamClosed })
  }
  try {
    await waitFor('every window stored', async () => await count() >= replay.windows.length)
  } catch (err) {
    throw new Error(`${(err as Error).message} (${await count()} of ${replay.windows.length}); w1 ${seen(w1)}; w2 ${seen(w2)}`)
  }
  await waitFor('both workers took part', () => w2.stats().framesRead > 0 && w1.stats().framesRead > 0)
  log.info({ w1: seen(w1), w2: seen(w2) }, 'rebalance')
  const { rows } = await db.pool.query<{ rig: string, ws: string, n: string }>(
    `SELECT rig, (extract(epoch from window_start) * 1000000)::bigint AS ws, count(*) AS n FROM predictions WHERE tenant = $1 GROUP BY rig, window_start`, [tenant])
  const got = new Map(rows.map(r => [`${r.rig}/${r.ws}`, Number(r.n)]))
  for (const w of replay.windows) assert.equal(got.get(`${w.rig}/${w.windowStartUs}`), 1, `${w.rig} window ${w.windowStartUs}: exactly one prediction`)
  assert.equal(rows.length, replay.windows.length)
})

/** The real store whose inserts wait while the gate is shut (the test decides when results may become durable). */
function gatedStore (real: PredictionStore): { store: PredictionStore, shut (): void, open (): void } {
  let release: () => void = () => {}
  let gate: Promise<void> | null = null
  return {
    store: { ...real, insertPredictions: async rows => { if (gate) await gate; return await real.insertPredictions(rows) } },
    shut () { gate ??= new Promise<void>(resolve => { release = resolve }) },
    open () { gate = null; release() }
  }
}

// The deterministic form of the rebalance bug: worker 1 is paused (its results cannot become
// durable yet), so the records of its last fetch wait in the stream's buffer. A rebalance takes
// half of its partitions away (it forgets their rigs and open windows) and a second one gives
// them back. Before the fix, the buffered records of the first ownership were then handled as
// new ones: they rebuilt the rigs' state from the middle of the stream, so when the stream
// re-read the partition from the committed offset every earlier frame looked like a duplicate,
// and the windows that had been open at the first rebalance were never rebuilt: no prediction.
test('a partition taken away and given back while the worker is paused, with records of its first ownership still buffered: every window has exactly one stored prediction', { timeout: 600_000 }, async () => {
  const kafka = await startKafka()
  cleanups.push(() => kafka.stop())
  const db = await migratedDatabase()
  cleanups.push(() => db.pool.end())
  const producer = await frameProducer(kafka.brokers)
  cleanups.push(() => producer.close())
  const real = createPredictionStore(db.pool)

  // One attempt sets the case up; whether worker 1's buffer holds records of the partitions that
  // go away and come back depends on where in a fetch response it paused, so an attempt that did
  // not get there (nothing skipped as stale, nothing missing) is repeated, at most 6 times.
  const attempt = async (): Promise<{ missing: string[], stale: number, taken: number[], complete: boolean, extra: number }> => {
    const tenant = uniqueId('regain')
    const rigs = Array.from({ length: 12 }, (_, i) => `rig-${i}`)
    const replay = replayFrames(tenant, rigs, rigs.map((_, i) => 300 + i * 60), 4)
    const count = async (): Promise<number> => Number((await db.pool.query('SELECT count(*) FROM predictions WHERE tenant = $1', [tenant])).rows[0].count)
    const opts = { brokers: kafka.brokers.split(','), groupId: uniqueId('g'), log, maxBatch: 1, maxPending: 2, maxWaitMs: 20 }
    const g1 = gatedStore(real)
    const w1 = await startKafkaWorker({ ...opts, store: g1.store, clientId: 'w1' })
    try {
      // first worker 1 works through what the shared topic holds already (other tests' frames)
      let last = -1
      await waitFor('worker 1 idle', async () => {
        const s = w1.stats()
        const idle = s.framesRead === last && s.queued === 0 && s.inFlight === 0
        last = s.framesRead
        if (!idle) await new Promise(resolve => setTimeout(resolve, 1000))
        return idle
      })
      // then this test's frames, with no result durable: worker 1 pauses with records of its last fetch buffered
      g1.shut()
      await produceFrames(producer, replay.frames)
      await waitFor('worker 1 paused with windows waiting', () => w1.stats().paused)
      const all = w1.stats().partitions
      const g2 = gatedStore(real)
      g2.shut()
      const w2 = await startKafkaWorker({ ...opts, store: g2.store, clientId: 'w2' })
      await waitFor('worker 1 gave partitions to worker 2', () => w1.stats().partitions.length < all.length && w2.stats().partitions.length > 0)
      await waitFor('worker 2 read frames of its partitions', () => w2.stats().framesRead > 0)
      const taken = w2.stats().partitions
      // worker 2 stores what it has in flight, commits, and leaves: its partitions go back to worker 1
      g2.open()
      await w2.close()
      await waitFor('worker 1 got every partition back', () => w1.stats().partitions.length === all.length)
      assert.ok(w1.stats().paused, 'worker 1 was still paused (its buffered records of the given-back partitions not yet handled)')
      g1.open()
      let complete = true
      try {
        await waitFor('every window stored', async () => await count() >= replay.windows.length, 60_000)
      } catch { complete = false }
      const { rows } = await db.pool.query<{ rig: string, ws: string, n: string }>(
        `SELECT rig, (extract(epoch from window_start) * 1000000)::bigint AS ws, count(*) AS n FROM predictions WHERE tenant = $1 GROUP BY rig, window_start`, [tenant])
      const got = new Map(rows.map(r => [`${r.rig}/${r.ws}`, Number(r.n)]))
      const missing = replay.windows.filter(w => got.get(`${w.rig}/${w.windowStartUs}`) !== 1).map(w => `${w.rig}@${w.windowStartUs}`)
      return { missing, stale: w1.stats().staleSkipped, taken, complete, extra: rows.length - replay.windows.length }
    } finally {
      g1.open()
      await w1.close()
    }
  }

  for (let i = 1; ; i++) {
    const r = await attempt()
    log.info({ attempt: i, ...r }, 'regain')
    assert.deepEqual(r.missing, [], `every window has exactly one prediction (partitions ${r.taken.join(',')} went to worker 2 and back; complete: ${r.complete})`)
    assert.equal(r.extra, 0, 'no prediction for a window that was not replayed')
    if (r.stale > 0) break // the case was set up, and nothing went missing
    assert.ok(i < 6, 'in 6 attempts worker 1 never had records of a given-back partition buffered: the case was not set up')
  }
})
