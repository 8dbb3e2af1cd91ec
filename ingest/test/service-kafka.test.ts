// Ingest with Kafka enabled: a real Mosquitto, a real PostgreSQL and a real Kafka broker (KRaft).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import mqtt from 'mqtt'
import pg from 'pg'
import { pino } from 'pino'
import { Consumer } from '@platformatic/kafka'
import { freshDatabase } from '../../tests/support/pg.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { startKafka } from '../../tests/support/kafka.js'
import { FrameBatch, DeadLetter, KAFKA_TOPICS } from '../../schemas/src/index.js'
import { migrate } from '../src/store/migrate.js'
import { startIngest } from '../src/service.js'
import { int64ToNumber } from '../src/int64.js'
import { frameObject, encodeFrame, frameTopic } from './frames.js'

const log = pino({ level: 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

async function waitFor (what: string, cond: () => boolean | Promise<boolean>, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

test('frames go to rs.frames.v1 and dead letters to rs.deadletter.v1 before they are acknowledged', async () => {
  const kafka = await startKafka()
  cleanups.push(() => kafka.stop())
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())
  const url = await freshDatabase('ingkafka')
  await migrate(url, log)
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  cleanups.push(() => pool.end())

  const tenant = `t${randomBytes(4).toString('hex')}` // topics are shared with other tests: our own tenant
  const ing = await startIngest({ mqttUrl: broker.url, username: 'svc:ingest', password: 'x', databaseUrl: url, kafkaBrokers: kafka.brokers.split(','), log, clientId: `ing-${tenant}` })
  cleanups.push(() => ing.close())
  const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: `pub-${tenant}` })
  cleanups.push(() => pub.endAsync(true))

  const sends: Array<Promise<unknown>> = []
  for (let seq = 1; seq <= 30; seq++) {
    for (const rig of ['k1', 'k2']) sends.push(pub.publishAsync(frameTopic({ tenant, rig }), Buffer.from(encodeFrame(frameObject({ tenant, rig, seq }))), { qos: 1 }))
  }
  sends.push(pub.publishAsync(frameTopic({ tenant, rig: 'k1' }), Buffer.from(encodeFrame(frameObject({ tenant, rig: 'k1', seq: 3 }))), { qos: 1 })) // duplicate
  sends.push(pub.publishAsync(frameTopic({ tenant, rig: 'k2' }), Buffer.from(encodeFrame(frameObject({ tenant, rig: 'k2', seq: 31, value: () => NaN }))), { qos: 1 }))
  await Promise.all(sends)
  await waitFor('ingest to settle', () => { const s = ing.stats(); return s.stored + s.duplicatesDropped + s.deadLetters >= 62 && s.pendingAcks === 0 })
  const s = ing.stats()
  assert.equal(s.stored, 60)
  assert.equal(s.duplicatesDropped, 1)
  assert.equal(s.deadLetters, 1)
  assert.equal(s.kafkaProduced, 60, 'acknowledged only after Kafka acked every new frame')

  // read both topics back (with @platformatic/kafka: the sink's default lz4 batches are beyond kafkajs)
  const consumer = new Consumer({ groupId: `g-${tenant}`, clientId: 'ingest-test', bootstrapBrokers: kafka.brokers.split(',') })
  cleanups.push(async () => { await consumer.close(true) })
  const stream = await consumer.consume({ topics: [KAFKA_TOPICS.frames, KAFKA_TOPICS.deadletter], mode: 'earliest', autocommit: false })
  cleanups.push(async () => { await stream.close() }) // runs before consumer.close (cleanups run in reverse)
  const frames = new Map<string, number>()
  const dead: DeadLetter[] = []
  const badRecords: string[] = []
  stream.on('data', (m: { topic: string, key: Buffer, value: Buffer, headers: Map<Buffer, Buffer> }) => {
    const headers = new Map([...m.headers].map(([k, v]) => [String(k), String(v)]))
    if (m.topic === KAFKA_TOPICS.frames) {
      const f = FrameBatch.decode(m.value)
      if (f.tenant !== tenant) return
      if (String(m.key) !== `${tenant}/${f.rig}` || headers.get('seq') !== String(int64ToNumber(f.seq))) badRecords.push(`${String(m.key)} seq header ${headers.get('seq')}`)
      const k = `${f.rig}/${int64ToNumber(f.seq)}`
      frames.set(k, (frames.get(k) ?? 0) + 1)
    } else {
      const d = DeadLetter.decode(m.value)
      if (d.tenant === tenant) dead.push(d)
    }
  })
  await waitFor('the records in Kafka', () => frames.size >= 60 && dead.length >= 1)
  assert.deepEqual(badRecords, [], 'key tenant/rig and header seq on every frame record')
  assert.deepEqual([...frames.keys()].sort(), ['k1', 'k2'].flatMap(r => Array.from({ length: 30 }, (_, i) => `${r}/${i + 1}`)).sort())
  assert.ok([...frames.values()].every(n => n === 1), 'no redelivery happened, so no frame appears twice')
  assert.equal(dead.length, 1)
  assert.equal(dead[0].reason, 'RS_ERR_NOT_FINITE')
  assert.equal(dead[0].rig, 'k2')
  assert.equal(int64ToNumber(dead[0].seq), 31)
  assert.match(dead[0].detail, /PS1 sample 0 is NaN/)
  assert.ok(dead[0].payload.length > 0)
})
