// Issue 5: PostgreSQL restarted while frames stream in. Ingest must stop acknowledging while the
// database is down (the broker keeps the frames for its persistent session), hold a bounded
// number of messages, resume when the database is back, and end with every (tenant, rig, seq)
// stored exactly once. Real Mosquitto, real PostgreSQL (our own, stopped and started on the same
// port and data directory), ingest in this process (its counters are read directly).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { pino } from 'pino'
import { startMosquitto } from '../support/mosquitto.js'
import { restartablePg } from '../support/restartable-pg.js'
import { startSteadyPublisher } from '../support/ingest-publisher.js'
import { checkDelivery, runCleanups, sleep, storedCount, waitFor } from '../support/ingest-check.js'
import { requireProfile } from '../../common/src/profile.js'
import { migrate } from '../../ingest/src/store/migrate.js'
import { startIngest } from '../../ingest/src/service.js'

const log = pino({ level: process.env.RS_TEST_LOG ?? 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { await runCleanups(cleanups) })
const CHANNELS = requireProfile().channels.length

test('PostgreSQL stopped for seconds mid-stream: acks stop, held messages stay bounded, nothing lost, nothing stored twice', async () => {
  const db = await restartablePg()
  cleanups.push(() => db.destroy())
  const url = await db.createDatabase('ingest_pg_restart')
  await migrate(url, log)
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())

  const tenant = `pgr${randomBytes(3).toString('hex')}`
  const capacity = 200
  const ing = await startIngest({
    mqttUrl: broker.url, username: 'svc:ingest', password: 'x', databaseUrl: url, log,
    clientId: `ing-${tenant}`, batchMaxFrames: 50, maxPendingFrames: capacity
  })
  cleanups.push(() => ing.close())

  const rigs = ['r1', 'r2', 'r3', 'r4']
  // publishes until the database is back (the outage is mid-stream whatever this machine's speed)
  const pub = await startSteadyPublisher({ mqttUrl: broker.url, tenant, rigs, framesPerRig: Infinity, ratePerSec: 100 })
  cleanups.push(() => pub.stop())

  // the stream is flowing into the database
  const check = new pg.Pool({ connectionString: url, max: 1 })
  check.on('error', () => {})
  await waitFor('frames stored before the outage', async () => await storedCount(check, tenant) >= 200)
  // stop the server while ingest is inside a transaction: the batch being written must survive
  // (and the process too: a checked-out connection that dies emits 'error' on its client)
  await waitFor('ingest inside a transaction', async () => Number((await check.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")).rows[0].n) > 0, 60_000, 2)
  await db.stop()
  await check.end()

  const atStop = ing.stats()
  // while the database is down: the publisher goes on, ingest fills its bounded buffer and stops
  // reading; nothing more is counted as stored (stored = acknowledged after a commit)
  await waitFor('ingest to hold a full buffer', () => ing.stats().pendingAcks >= capacity - 50, 60_000)
  await sleep(3000)
  const during = ing.stats()
  assert.ok(during.stored - atStop.stored <= 50, `at most the batch being committed when the server stopped is counted after it (${during.stored - atStop.stored})`)
  assert.ok(during.pendingAcks <= capacity + 1, `held messages stay bounded: ${during.pendingAcks} <= ${capacity} (+1 being read)`)
  await sleep(2000)
  const later = ing.stats()
  assert.equal(later.stored, during.stored, 'nothing is stored (and acknowledged) while the database is down')
  assert.ok(later.received - during.received <= 1, `ingest stopped reading from the broker (${later.received - during.received} more received)`)
  assert.ok(pub.sent > later.received, 'the broker holds what the publisher sent meanwhile')

  await db.start()
  await sleep(2000)
  await pub.stop()
  const published = pub.publishedPerRig()
  const total = [...published.values()].reduce((a, b) => a + b, 0)
  const after2 = new pg.Pool({ connectionString: url, max: 1 })
  cleanups.push(() => after2.end())
  await waitFor('every frame stored after the restart', async () => await storedCount(after2, tenant) >= total, 120_000, 250)
  await waitFor('ingest to settle', () => ing.stats().pendingAcks === 0)

  const r = await checkDelivery(after2, tenant, published, CHANNELS)
  assert.deepEqual({ lost: r.lost, duplicates: r.duplicates, unexpected: r.unexpected }, { lost: 0, duplicates: 0, unexpected: 0 }, r.examples.join('; '))
  assert.equal(r.stored, total)
  const s = ing.stats()
  assert.equal(s.deadLetters, 0)
  assert.equal(s.stored + s.duplicatesDropped, s.received, 'every received message was either stored or dropped as a duplicate')
})

test('a database outage longer than the MQTT keepalive: the connection to the broker stays up, nothing is redelivered', async () => {
  const db = await restartablePg()
  cleanups.push(() => db.destroy())
  const url = await db.createDatabase('ingest_pg_keepalive')
  await migrate(url, log)
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())

  const tenant = `pgk${randomBytes(3).toString('hex')}`
  const warnings: string[] = []
  const captured = pino({ level: 'warn' }, { write: (line: string) => { warnings.push(line) } })
  const keepaliveSeconds = 2 // MQTT.js gives up after 1.5 x keepalive without handling a PINGRESP
  const ing = await startIngest({
    mqttUrl: broker.url, username: 'svc:ingest', password: 'x', databaseUrl: url, log: captured,
    clientId: `ing-${tenant}`, batchMaxFrames: 20, maxPendingFrames: 80, mqttKeepaliveSeconds: keepaliveSeconds
  })
  cleanups.push(() => ing.close())
  const rigs = ['a', 'b', 'c']
  const pub = await startSteadyPublisher({ mqttUrl: broker.url, tenant, rigs, framesPerRig: Infinity, ratePerSec: 40 })
  cleanups.push(() => pub.stop())

  await waitFor('frames stored before the outage', () => ing.stats().stored >= 60)
  await db.stop()
  await waitFor('ingest to stop reading (buffer full)', () => ing.stats().pendingAcks >= 60, 60_000)
  await sleep(keepaliveSeconds * 1000 * 4) // well past MQTT.js's keepalive timeout
  await db.start()
  await sleep(2000)
  await pub.stop()
  const published = pub.publishedPerRig()
  const total = [...published.values()].reduce((a, b) => a + b, 0)
  await waitFor('every frame stored', () => ing.stats().stored >= total, 120_000)
  await waitFor('ingest to settle', () => ing.stats().pendingAcks === 0)

  const keepaliveLost = warnings.filter(l => /Keepalive timeout|MQTT connection closed/.test(l))
  assert.deepEqual(keepaliveLost.map(l => (JSON.parse(l) as { msg: string, err?: { message?: string } }).err?.message ?? (JSON.parse(l) as { msg: string }).msg), [],
    'the connection to the broker survived the stall')
  const s = ing.stats()
  assert.equal(s.duplicatesDropped, 0, 'no redelivery: the broker never had to resend its in-flight window')
  assert.equal(s.received, total)
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  cleanups.push(() => pool.end())
  const r = await checkDelivery(pool, tenant, published, CHANNELS)
  assert.deepEqual({ lost: r.lost, duplicates: r.duplicates, unexpected: r.unexpected }, { lost: 0, duplicates: 0, unexpected: 0 }, r.examples.join('; '))
})
