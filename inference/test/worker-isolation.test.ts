// One window whose prediction PostgreSQL refuses for good must cost that window only: the
// other windows of its micro-batch are stored and every hold is released, so the partition's
// committed offset moves past it (before, the whole batch was lost and the offset pinned at the
// poison window, for good, across restarts). Real UCI cycles, the reference model, a real
// PostgreSQL; the offsets are the worker's own OffsetTracker, fed as the Kafka consumer feeds it.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRootLogger } from '../../common/src/logger.js'
import { loadUciCycles } from '../src/uci.js'
import { WorkerCore } from '../src/worker/worker.js'
import { createPredictionStore } from '../src/worker/store.js'
import { OffsetTracker } from '../src/worker/offsets.js'
import { migratedDatabase, T0 } from './worker-support.js'

const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

test('a window PostgreSQL refuses (a rig id with a NUL byte, from a producer other than ingest) is skipped alone; its batch neighbours are stored and the offsets move on', async () => {
  const { pool } = await migratedDatabase()
  cleanups.push(() => pool.end())
  const log = createRootLogger({ level: process.env.RS_TEST_LOG ?? 'silent' })
  const core = await WorkerCore.create({ store: createPredictionStore(pool), log, maxBatch: 16, maxWaitMs: 50, alertCycles: 0 })
  cleanups.push(() => core.close())
  const channels = core.runtime.manifest.channels
  const cycles = loadUciCycles(new URL('../../../edge-agent/data/uci-hydraulic', import.meta.url).pathname).cycles
  const tracker = new OffsetTracker()
  const TOPIC = 'rs.frames.v1'
  let offset = 0n
  const feed = (rig: string, cycle: number): void => {
    const w = cycles[cycle]!.window
    for (let i = 0; i < 60; i++) {
      const off = offset++
      tracker.seen(TOPIC, 0, off)
      core.add({ tenant: 'acme', rig, seq: i + 1, windowStartUs: T0 + i * 1_000_000, cycle: cycle + 1, channels: channels.map(c => ({ id: c, samples: [w[c]![i]!] })) },
        () => tracker.hold(TOPIC, 0, off))
    }
  }
  // one partition, three rigs' windows in one micro-batch (maxWaitMs 50: all closed before it leaves)
  feed('good-1', 0)
  feed('bad\u0000rig', 1)
  feed('good-2', 2)
  await core.pipeline.drain()

  const stored = (await pool.query<{ rig: string, n: number }>("SELECT rig, count(*)::int AS n FROM predictions WHERE tenant = 'acme' GROUP BY rig ORDER BY rig")).rows
  assert.deepEqual(stored, [{ rig: 'good-1', n: 1 }, { rig: 'good-2', n: 1 }])
  const s = core.stats()
  assert.equal(s.windowsFailed, 1)
  assert.equal(s.predictionsStored, 2)
  assert.equal(tracker.held(), 0, 'every hold released')
  assert.deepEqual(tracker.committable().map(c => `${c.partition}@${c.offset}`), ['0@180'], 'the commit moves past all 180 frames')

  // and the next healthy window of the partition is stored and committed as usual
  feed('good-3', 3)
  await core.pipeline.drain()
  assert.equal((await pool.query("SELECT 1 FROM predictions WHERE rig = 'good-3'")).rowCount, 1)
  assert.equal(core.stats().windowsFailed, 1)
})
