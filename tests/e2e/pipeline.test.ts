// Issue 2, "Must show": 5 simulated rigs for 20 s through the real broker, a real PostgreSQL and a
// real Kafka broker; every (rig, seq) produced is in the database exactly once and in Kafka; a
// WebSocket client subscribed to one rig receives its live frames.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import kafkajs from 'kafkajs'
import { startStack, waitFor, log } from './harness.js'
import { startKafka } from '../support/kafka.js'
import { startFleet } from '../../edge-agent/src/fleet.js'
import { createSimulator } from '../../edge-agent/src/sources/index.js'
import { KAFKA_TOPICS } from '../../schemas/src/topics.js'
import { registerKafkajsCodecs } from '../../ingest/src/sinks/kafka-kafkajs-codecs.js'

// Kafka is shared with other tests in one `npm test` run: a tenant of our own keeps our records apart
const TENANT = `e2e${Date.now().toString(36)}`
const RIGS = ['rig-a', 'rig-b', 'rig-c', 'rig-d', 'rig-e']
const SECONDS = Number(process.env.RS_E2E_SECONDS ?? 20)

test('5 simulated rigs for 20 s: broker -> ingest -> PostgreSQL exactly once + Kafka, live WebSocket', async () => {
  const kafka = await startKafka()
  after(() => kafka.stop())
  const stack = await startStack({ kafkaBrokers: [kafka.brokers] })
  after(() => stack.close())

  // a dashboard client subscribed to one rig
  const ws = new WebSocket(stack.api.url.replace(/^http/, 'ws') + '/ws')
  const live: Array<{ rig: string, seq: number }> = []
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { type: string, rig: string, seq: number }
    if (m.type === 'frames') live.push({ rig: m.rig, seq: m.seq })
  })
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  ws.send(JSON.stringify({ type: 'subscribe', tenant: TENANT, rig: 'rig-b' }))
  after(() => ws.close())

  const startUs = Date.now() * 1000
  const rigs = await Promise.all(RIGS.map(async (rig, i) => ({ rig, ...(await stack.device(TENANT, rig)), source: createSimulator({ seed: 100 + i, startUs }) })))
  const fleet = await startFleet({ brokerUrl: stack.mqttUrl, tenant: TENANT, rigs, stateDir: mkdtempSync(join(tmpdir(), 'rs-e2e-')), speed: 1, log })
  await new Promise(r => setTimeout(r, SECONDS * 1000))
  await fleet.stop()

  const perRig = fleet.stats().perRig
  const produced = new Map<string, number>() // rig -> highest seq acked by the broker
  for (const rig of RIGS) {
    const s = perRig[rig]
    assert.ok(s, `stats for ${rig}`)
    assert.ok(s.acked >= SECONDS - 2, `${rig} published ${s.acked} frames in ${SECONDS} s`)
    produced.set(rig, s.seq)
  }
  const total = [...produced.values()].reduce((a, b) => a + b, 0)
  await waitFor(() => stack.ingest.stats().stored >= total && stack.ingest.stats().pendingAcks === 0, 'ingest to store every frame')

  // PostgreSQL: every (rig, seq) exactly once, all 17 channels each
  const { rows } = await stack.pool.query<{ rig: string, seq: string, n: string, channels: string }>(
    `SELECT r.rig, k.seq, count(*) OVER (PARTITION BY r.rig, k.seq) AS n,
            (SELECT count(*) FROM frame_channels c WHERE c.rig_id = k.rig_id AND c.seq = k.seq) AS channels
       FROM frame_keys k JOIN rigs r ON r.id = k.rig_id WHERE r.tenant = $1`, [TENANT])
  for (const r of rows) {
    assert.equal(Number(r.n), 1, `${r.rig}/${r.seq} stored once`)
    assert.equal(Number(r.channels), 17, `${r.rig}/${r.seq} has 17 channel rows`)
  }
  for (const [rig, maxSeq] of produced) {
    const seqs = rows.filter(r => r.rig === rig).map(r => Number(r.seq)).sort((a, b) => a - b)
    assert.deepEqual(seqs, Array.from({ length: maxSeq }, (_, i) => i + 1), `${rig}: seqs 1..${maxSeq} stored, none missing`)
  }
  assert.equal(stack.ingest.stats().deadLetters, 0)

  // Kafka: every (rig, seq) on rs.frames.v1, keyed tenant/rig
  // read back with a different client (kafkajs) than the producer (@platformatic/kafka, lz4)
  registerKafkajsCodecs()
  const seen = new Set<string>()
  const consumer = new kafkajs.Kafka({ brokers: [kafka.brokers], logLevel: kafkajs.logLevel.NOTHING }).consumer({ groupId: 'e2e-check-' + Date.now() })
  await consumer.connect()
  await consumer.subscribe({ topic: KAFKA_TOPICS.frames, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = String(message.key)
      if (!key.startsWith(`${TENANT}/`)) return
      const seq = String(message.headers?.seq ?? '')
      seen.add(`${key}#${seq}`)
    }
  })
  try {
    await waitFor(() => seen.size >= total, `Kafka to hold ${total} frames (has ${seen.size})`, 60_000)
  } finally {
    await consumer.disconnect()
  }
  for (const [rig, maxSeq] of produced) {
    for (let seq = 1; seq <= maxSeq; seq++) assert.ok(seen.has(`${TENANT}/${rig}#${seq}`), `Kafka has ${rig}/${seq}`)
  }

  // the WebSocket client saw rig-b's frames live, and only rig-b's
  assert.ok(live.length >= SECONDS - 3, `live frames received: ${live.length}`)
  assert.ok(live.every(f => f.rig === 'rig-b'))
})
