// Ingest through a REAL MQTT broker (Mosquitto 2) into a real PostgreSQL.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import mqtt, { type MqttClient } from 'mqtt'
import pg from 'pg'
import { pino } from 'pino'
import { freshDatabase } from '../../tests/support/pg.js'
import { startMosquitto, type Mosquitto } from '../../tests/support/mosquitto.js'
import { LiveBus, type LiveFrame } from '../../common/src/live.js'
import { migrate } from '../src/store/migrate.js'
import { startIngest, type Ingest } from '../src/service.js'
import { frameObject, encodeFrame, frameTopic } from './frames.js'

const log = pino({ level: 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

async function setup (): Promise<{ broker: Mosquitto, url: string, pool: pg.Pool }> {
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())
  const url = await freshDatabase('ingsvc')
  await migrate(url, log)
  const pool = new pg.Pool({ connectionString: url, max: 3 })
  cleanups.push(() => pool.end())
  return { broker, url, pool }
}

async function publisher (broker: Mosquitto): Promise<MqttClient> {
  const c = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: `pub-${randomBytes(4).toString('hex')}`, clean: true })
  cleanups.push(() => c.endAsync(true))
  return c
}

async function ingest (broker: Mosquitto, url: string, extra: Partial<Parameters<typeof startIngest>[0]> = {}): Promise<Ingest> {
  const i = await startIngest({ mqttUrl: broker.url, username: 'svc:ingest', password: 'x', databaseUrl: url, log, clientId: `ing-${randomBytes(4).toString('hex')}`, ...extra })
  cleanups.push(() => i.close())
  return i
}

/** Waits for a condition; the deadline only turns a hang into a failure, it measures nothing. */
async function waitFor (what: string, cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

async function storedKeys (pool: pg.Pool): Promise<string[]> {
  const r = await pool.query<{ k: string }>("SELECT r.rig || '/' || k.seq AS k FROM frame_keys k JOIN rigs r ON r.id = k.rig_id ORDER BY r.rig, k.seq")
  return r.rows.map(x => x.k).sort()
}

const keysFor = (rigs: string[], n: number): string[] => rigs.flatMap(r => Array.from({ length: n }, (_, i) => `${r}/${i + 1}`)).sort()

test('valid frames stored once; duplicates dropped; each bad payload dead-lettered with its own reason', async () => {
  const { broker, url, pool } = await setup()
  const bus = new LiveBus()
  const live: LiveFrame[] = []
  bus.on('frames', f => live.push(f))
  const ing = await ingest(broker, url, { bus })
  const pub = await publisher(broker)

  const rigs = ['r1', 'r2', 'r3']
  const sends: Array<Promise<unknown>> = []
  const send = (topic: string, payload: Uint8Array): void => { sends.push(pub.publishAsync(topic, Buffer.from(payload), { qos: 1 })) }
  for (let seq = 1; seq <= 40; seq++) {
    for (const rig of rigs) send(frameTopic({ rig }), encodeFrame(frameObject({ rig, seq })))
    if (seq % 10 === 0) send(frameTopic({ rig: 'r2' }), encodeFrame(frameObject({ rig: 'r2', seq: seq - 5 }))) // duplicates
  }
  const unknown = frameObject({ rig: 'bad-chan', seq: 1 })
  unknown.channels[2].id = 'NOPE'
  const proto = frameObject({ rig: 'bad-profile', seq: 1 })
  proto.profile = 'constructor' // a member of Object.prototype: once a TypeError that took ingest down
  const bad = {
    RS_ERR_DECODE: { rig: 'bad-decode', payload: Uint8Array.from([0x0a, 0xff, 0x01]) },
    RS_ERR_UNKNOWN_CHANNEL: { rig: 'bad-chan', payload: encodeFrame(unknown) },
    RS_ERR_UNKNOWN_PROFILE: { rig: 'bad-profile', payload: encodeFrame(proto) },
    RS_ERR_NOT_FINITE: { rig: 'bad-nan', payload: encodeFrame(frameObject({ rig: 'bad-nan', seq: 1, value: (c, i) => c === 'PS1' && i === 3 ? NaN : 5 })) },
    RS_ERR_CLOCK: { rig: 'bad-future', payload: encodeFrame(frameObject({ rig: 'bad-future', seq: 1, windowStartUs: Date.now() * 1000 + 86_400_000_000 })) },
    RS_ERR_TOO_LARGE: { rig: 'bad-big', payload: new Uint8Array(10 * 1024 * 1024).fill(1) }
  }
  for (const b of Object.values(bad)) send(frameTopic({ rig: b.rig }), b.payload)
  for (let seq = 41; seq <= 50; seq++) for (const rig of rigs) send(frameTopic({ rig }), encodeFrame(frameObject({ rig, seq })))
  await Promise.all(sends) // every PUBLISH acknowledged by the broker
  const published = sends.length

  await waitFor('ingest to settle every message', () => {
    const s = ing.stats()
    return s.stored + s.duplicatesDropped + s.deadLetters >= published && s.pendingAcks === 0
  })
  const s = ing.stats()
  assert.equal(s.received, published)
  assert.equal(s.stored, 150)
  assert.equal(s.duplicatesDropped, 4)
  assert.equal(s.deadLetters, 6)
  assert.deepEqual(s.deadLettersByReason, { RS_ERR_DECODE: 1, RS_ERR_UNKNOWN_CHANNEL: 1, RS_ERR_UNKNOWN_PROFILE: 1, RS_ERR_NOT_FINITE: 1, RS_ERR_CLOCK: 1, RS_ERR_TOO_LARGE: 1 })
  assert.equal(s.kafkaProduced, null)

  assert.deepEqual(await storedKeys(pool), keysFor(rigs, 50), 'every valid (rig, seq) stored exactly once')
  assert.equal(Number((await pool.query('SELECT count(*) AS n FROM frame_channels')).rows[0].n), 150 * 17)
  const dl = await pool.query<{ reason: string, rig: string, payload_size: number, kept: number }>('SELECT reason, rig, payload_size, length(payload) AS kept FROM dead_letters ORDER BY reason')
  assert.deepEqual(Object.fromEntries(dl.rows.map(r => [r.reason, r.rig])), Object.fromEntries(Object.entries(bad).map(([k, v]) => [k, v.rig])))
  const big = dl.rows.find(r => r.reason === 'RS_ERR_TOO_LARGE')!
  assert.equal(big.payload_size, 10 * 1024 * 1024)
  assert.equal(big.kept, 64 * 1024)
  assert.equal(Number((await pool.query("SELECT count(*) AS n FROM rigs WHERE rig LIKE 'bad-%'")).rows[0].n), 0, 'nothing of a bad payload is stored as telemetry')

  assert.equal(live.length, 150, 'one live event per newly stored frame')
  assert.equal(new Set(live.map(f => `${f.rig}/${f.seq}`)).size, 150)
})

test('a frame is acknowledged only once durable: ingest killed while the database blocks loses nothing', async () => {
  const { broker, url, pool } = await setup()
  const clientId = `ing-crash-${randomBytes(4).toString('hex')}`
  // the broker must know the persistent session before frames are published to it
  const first = await ingest(broker, url, { clientId })
  await first.close()

  const blocker = await pool.connect()
  await blocker.query('BEGIN')
  await blocker.query('LOCK TABLE frame_keys IN EXCLUSIVE MODE') // inserts wait; nothing can commit

  const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url))
  const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(cli)}); await m.run([])`], {
    env: { ...process.env, DATABASE_URL: url, MQTT_URL: broker.url, MQTT_PASSWORD: 'x', RS_INGEST_CLIENT_ID: clientId, RS_INGEST_MIGRATE: '0', RS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  cleanups.push(async () => { if (child.exitCode === null) child.kill('SIGKILL') })

  const pub = await publisher(broker)
  await Promise.all(Array.from({ length: 30 }, (_, i) => pub.publishAsync(frameTopic({ rig: 'k1' }), Buffer.from(encodeFrame(frameObject({ rig: 'k1', seq: i + 1 }))), { qos: 1 })))
  // the child has the frames and is blocked inside its batch transaction
  await waitFor('the child ingest to block on the lock', async () => Number((await pool.query("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0].n) > 0)
  child.kill('SIGKILL')
  await new Promise(resolve => child.once('exit', resolve))
  await blocker.query('ROLLBACK')
  blocker.release()
  assert.deepEqual(await storedKeys(pool), [], 'nothing was committed before the kill')

  // same client id: the broker redelivers every frame the dead instance never acknowledged
  const second = await ingest(broker, url, { clientId })
  await waitFor('redelivered frames to be stored', async () => (await storedKeys(pool)).length >= 30)
  await waitFor('acks', () => second.stats().pendingAcks === 0)
  assert.deepEqual(await storedKeys(pool), keysFor(['k1'], 30))
})

test('backpressure: a blocked database stops ingest reading, memory stays bounded, nothing is lost', async () => {
  const { broker, url, pool } = await setup()
  const ing = await ingest(broker, url, { batchMaxFrames: 5, maxPendingFrames: 10 })
  const blocker = await pool.connect()
  await blocker.query('BEGIN')
  await blocker.query('LOCK TABLE frame_keys IN EXCLUSIVE MODE')
  const pub = await publisher(broker)
  await Promise.all(Array.from({ length: 100 }, (_, i) => pub.publishAsync(frameTopic({ rig: 'bp' }), Buffer.from(encodeFrame(frameObject({ rig: 'bp', seq: i + 1 }))), { qos: 1 })))
  await waitFor('ingest to fill its buffer', () => ing.stats().received >= 10)
  await new Promise(resolve => setTimeout(resolve, 300)) // give it the chance to overrun, if it would
  assert.ok(ing.stats().received <= 11, `took ${ing.stats().received} messages with room for 10`)
  assert.ok(ing.stats().pendingAcks <= 11)
  await blocker.query('ROLLBACK')
  blocker.release()
  await waitFor('the backlog to drain', () => ing.stats().stored === 100 && ing.stats().pendingAcks === 0)
  assert.deepEqual(await storedKeys(pool), keysFor(['bp'], 100))
})

test('two instances on a shared subscription store every frame once', async () => {
  const { broker, url, pool } = await setup()
  const a = await ingest(broker, url, { sharedGroup: 'ingest' })
  const b = await ingest(broker, url, { sharedGroup: 'ingest' })
  const pub = await publisher(broker)
  const rigs = ['s1', 's2', 's3', 's4']
  await Promise.all(rigs.flatMap(rig => Array.from({ length: 50 }, (_, i) => pub.publishAsync(frameTopic({ rig }), Buffer.from(encodeFrame(frameObject({ rig, seq: i + 1 }))), { qos: 1 }))))
  await waitFor('both instances to settle', () => a.stats().stored + b.stats().stored >= 200 && a.stats().pendingAcks + b.stats().pendingAcks === 0)
  assert.equal(a.stats().stored + b.stats().stored, 200)
  assert.ok(a.stats().received > 0 && b.stats().received > 0, `load shared: ${a.stats().received} / ${b.stats().received}`)
  assert.deepEqual(await storedKeys(pool), keysFor(rigs, 50))
})

test('live view ahead of the commit: frameAccepted announces each new frame once while the commit is held; "frames" waits for the commit', async () => {
  const { broker, url, pool } = await setup()
  const bus = new LiveBus()
  const accepted: LiveFrame[] = []
  const committed: LiveFrame[] = []
  bus.on('frameAccepted', f => accepted.push(f))
  bus.on('frames', f => committed.push(f))
  await ingest(broker, url, { bus })
  const pub = await publisher(broker)
  // hold every batch's transaction: a lock on frame_keys that the writer's INSERT must wait for
  const blocker = await pool.connect()
  await blocker.query('BEGIN')
  await blocker.query('LOCK TABLE frame_keys IN ACCESS EXCLUSIVE MODE')
  const sends: Array<Promise<unknown>> = []
  const send = (rig: string, seq: number): void => { sends.push(pub.publishAsync(frameTopic({ rig }), Buffer.from(encodeFrame(frameObject({ rig, seq }))), { qos: 1 })) }
  for (let seq = 1; seq <= 5; seq++) { send('live-a', seq); send('live-b', seq) }
  send('live-a', 3) // a repeat: not announced again
  send('live-b', 2) // an older seq after a newer one: not announced
  sends.push(pub.publishAsync(frameTopic({ rig: 'live-a' }), Buffer.from([0x0a, 0xff, 0x01]), { qos: 1 })) // undecodable: never announced
  await waitFor('10 frames announced', () => accepted.length >= 10)
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.deepEqual(accepted.map(f => `${f.rig}/${f.seq}`).sort(), keysFor(['live-a', 'live-b'], 5))
  assert.equal(committed.length, 0, 'nothing is committed while the lock is held')
  assert.equal(Number((await blocker.query('SELECT count(*) AS n FROM frame_keys')).rows[0].n), 0, 'nothing stored yet')
  await blocker.query('ROLLBACK')
  blocker.release()
  await Promise.all(sends)
  await waitFor('10 frames committed', () => committed.length >= 10)
  assert.deepEqual(await storedKeys(pool), keysFor(['live-a', 'live-b'], 5))
  assert.equal(accepted.length, 10, 'redeliveries and repeats are not announced again')
})
