// Issue 5: `rigstream ingest` (a real child process) killed with SIGKILL while it holds a batch,
// then started again with the same MQTT client id. The broker (Mosquitto) kept the persistent
// session: what was not acknowledged is redelivered, the database drops what it already has.
// Every (tenant, rig, seq) must end up stored exactly once.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startMosquitto } from '../support/mosquitto.js'
import { freshDatabase } from '../support/pg.js'
import { spawnIngest, type IngestProc } from '../support/ingest-proc.js'
import { startSteadyPublisher } from '../support/ingest-publisher.js'
import { checkDelivery, runCleanups, sleep, storedCount, waitFor } from '../support/ingest-check.js'
import { requireProfile } from '../../common/src/profile.js'

const cleanups: Array<() => Promise<unknown>> = []
after(async () => { await runCleanups(cleanups) })
const CHANNELS = requireProfile().channels.length

test('rigstream ingest SIGKILLed mid-batch twice and restarted: nothing lost, nothing stored twice', async () => {
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())
  const url = await freshDatabase('ingkill')
  const tenant = `kill${randomBytes(3).toString('hex')}`
  const clientId = `ing-${tenant}`
  // larger, slower batches: a kill lands while messages are held far more often than not
  const env = { RS_INGEST_BATCH_FRAMES: '100', RS_INGEST_BATCH_AGE_MS: '300' }
  let ing: IngestProc = await spawnIngest({ mqttUrl: broker.url, databaseUrl: url, clientId, env })
  cleanups.push(() => ing.kill())

  const rigs = ['k1', 'k2', 'k3', 'k4', 'k5']
  // publishes until the second restart is done (the kills are mid-stream whatever this machine's speed)
  const pub = await startSteadyPublisher({ mqttUrl: broker.url, tenant, rigs, framesPerRig: Infinity, ratePerSec: 100 })
  cleanups.push(() => pub.stop())
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  cleanups.push(() => pool.end())

  let killedHolding = 0
  for (const threshold of [150, 600]) {
    await waitFor(`${threshold} frames stored`, async () => await storedCount(pool, tenant) >= threshold)
    // kill it while it holds received, unacknowledged messages (a batch buffered or being committed)
    await waitFor('messages held by ingest', async () => (await ing.metrics()).pending_acks > 0, 30_000, 20)
    await ing.kill()
    killedHolding++
    assert.equal(ing.proc.signalCode, 'SIGKILL')
    ing = await spawnIngest({ mqttUrl: broker.url, databaseUrl: url, clientId, env })
  }
  assert.equal(killedHolding, 2)

  await sleep(2000)
  await pub.stop()
  const published = pub.publishedPerRig()
  const total = [...published.values()].reduce((a, b) => a + b, 0)
  await waitFor('every frame stored', async () => await storedCount(pool, tenant) >= total, 120_000, 250)
  await waitFor('the last instance to settle', async () => (await ing.metrics()).pending_acks === 0)
  const r = await checkDelivery(pool, tenant, published, CHANNELS)
  assert.deepEqual({ lost: r.lost, duplicates: r.duplicates, unexpected: r.unexpected }, { lost: 0, duplicates: 0, unexpected: 0 }, r.examples.join('; '))
  assert.equal(r.stored, total)
  const last = await ing.stop()
  assert.ok(last !== null, `rigstream ingest printed its stats on SIGTERM:\n${ing.tail()}`)
  assert.equal(last.deadLetters, 0)
})
