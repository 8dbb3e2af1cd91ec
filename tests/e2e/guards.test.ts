// Issue 2, "Must show": Mosquitto instead of aedes; authorization; bad input dead-lettered with its
// own reason while the valid stream beside it is stored in full.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { startStack, waitFor, log, type Stack } from './harness.js'
import { startMosquitto } from '../support/mosquitto.js'
import { startFleet } from '../../edge-agent/src/fleet.js'
import { createSimulator } from '../../edge-agent/src/sources/index.js'
import { FrameBatch } from '../../schemas/src/index.js'
import { rigTopic } from '../../schemas/src/topics.js'
import { requireProfile } from '../../common/src/profile.js'

const profile = requireProfile()

function validBatch (tenant: string, rig: string, seq: number, startUs: number): { [k: string]: unknown } {
  return {
    tenant,
    rig,
    seq,
    windowStartUs: startUs,
    windowUs: 1_000_000,
    profile: profile.id,
    sentUs: startUs,
    channels: profile.channels.map(c => ({ id: c.id, rateHz: c.rateHz, startUs, samples: Array.from({ length: c.rateHz }, () => (c.min + c.max) / 2) }))
  }
}

async function seqsStored (stack: Stack, tenant: string, rig: string): Promise<number[]> {
  const { rows } = await stack.pool.query<{ seq: string }>('SELECT k.seq FROM frame_keys k JOIN rigs r ON r.id = k.rig_id WHERE r.tenant = $1 AND r.rig = $2 ORDER BY k.seq', [tenant, rig])
  return rows.map(r => Number(r.seq))
}

async function runFleet (stack: Stack, tenant: string, rigs: string[], seconds: number, creds: boolean): Promise<Map<string, number>> {
  const startUs = Date.now() * 1000
  const list = await Promise.all(rigs.map(async (rig, i) => ({ rig, ...(creds ? await stack.device(tenant, rig) : {}), source: createSimulator({ seed: 7 + i, startUs }) })))
  const fleet = await startFleet({ brokerUrl: stack.mqttUrl, tenant, rigs: list, stateDir: mkdtempSync(join(tmpdir(), 'rs-e2e-')), speed: 4, log })
  await new Promise(r => setTimeout(r, seconds * 1000))
  await fleet.stop()
  return new Map(rigs.map(r => [r, fleet.stats().perRig[r]!.seq]))
}

test('ingest works with Mosquitto as the broker (any MQTT 3.1.1 broker)', async () => {
  const mosq = await startMosquitto()
  after(() => mosq.stop())
  const stack = await startStack({ externalMqttUrl: mosq.url })
  after(() => stack.close())
  const produced = await runFleet(stack, 'acme', ['m-1', 'm-2', 'm-3'], 5, false)
  for (const [rig, max] of produced) {
    assert.ok(max > 0)
    await waitFor(async () => (await seqsStored(stack, 'acme', rig)).length >= max, `${rig} stored`)
    assert.deepEqual(await seqsStored(stack, 'acme', rig), Array.from({ length: max }, (_, i) => i + 1))
  }
})

test('a device that publishes to another rig\'s topic is refused and nothing of it is stored', async () => {
  const stack = await startStack()
  after(() => stack.close())
  const mallory = await stack.device('acme', 'mallory')
  await stack.device('acme', 'victim')
  await stack.device('other', 'victim')
  const now = Date.now() * 1000
  // forged frames on another rig's topic and another tenant's topic, with payloads that name the
  // victim. The broker refuses each one by closing the connection (MQTT 3.1.1 has no negative
  // PUBACK), so every forged publish gets a fresh connection and must never be acknowledged.
  for (const [tenant, rig] of [['acme', 'victim'], ['other', 'victim']] as const) {
    for (let seq = 1; seq <= 3; seq++) {
      const c = await mqtt.connectAsync(stack.mqttUrl, { username: mallory.username, password: mallory.password, protocolVersion: 4, reconnectPeriod: 0 })
      const closed = new Promise<'closed'>(resolve => c.once('close', () => resolve('closed')))
      const outcome = await Promise.race([
        c.publishAsync(rigTopic(tenant, rig, 'frames'), Buffer.from(FrameBatch.encode(validBatch(tenant, rig, seq, now + seq * 1e6)).finish()), { qos: 1 }).then(() => 'acked', () => 'closed'),
        closed,
        new Promise(resolve => setTimeout(() => resolve('timeout'), 10_000))
      ])
      c.end(true)
      assert.equal(outcome, 'closed', `forged publish to ${tenant}/${rig} is refused (connection closed, no PUBACK)`)
    }
  }
  // then one legitimate frame on its own topic; once it is stored, anything earlier would be too
  const c2 = await mqtt.connectAsync(stack.mqttUrl, { username: mallory.username, password: mallory.password, protocolVersion: 4, reconnectPeriod: 0 })
  after(() => c2.end(true))
  await c2.publishAsync(rigTopic('acme', 'mallory', 'frames'), Buffer.from(FrameBatch.encode(validBatch('acme', 'mallory', 1, now)).finish()), { qos: 1 })
  await waitFor(async () => (await seqsStored(stack, 'acme', 'mallory')).length === 1, 'own frame stored')
  assert.deepEqual(await seqsStored(stack, 'acme', 'victim'), [])
  assert.deepEqual(await seqsStored(stack, 'other', 'victim'), [])
  const dl = await stack.pool.query("SELECT count(*)::int AS n FROM dead_letters WHERE rig = 'victim'")
  assert.equal(dl.rows[0].n, 0, 'forged frames never reached ingest')
  assert.ok(stack.broker!.stats().refusedPublishes >= 6, "every forged publish counted as refused")
})

test('bad input goes to the dead letters with its own reason; the valid stream beside it is stored in full', async () => {
  const stack = await startStack()
  after(() => stack.close())
  const bad = await stack.device('acme', 'bad-rig')
  const client = await mqtt.connectAsync(stack.mqttUrl, { username: bad.username, password: bad.password, protocolVersion: 4, reconnectPeriod: 0 })
  after(() => client.end(true))
  const topic = rigTopic('acme', 'bad-rig', 'frames')
  const now = Date.now() * 1000

  const fleetDone = runFleet(stack, 'acme', ['good-1', 'good-2'], 6, true)

  const unknown = validBatch('acme', 'bad-rig', 2, now) as { channels: Array<{ id: string }> }
  unknown.channels[0]!.id = 'PS99'
  const nan = validBatch('acme', 'bad-rig', 3, now) as { channels: Array<{ samples: number[] }> }
  nan.channels[2]!.samples[5] = Number.NaN
  const future = validBatch('acme', 'bad-rig', 4, now + 24 * 3600 * 1e6)
  const cases: Array<[string, Buffer]> = [
    ['RS_ERR_DECODE', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02])],
    ['RS_ERR_UNKNOWN_CHANNEL', Buffer.from(FrameBatch.encode(unknown).finish())],
    ['RS_ERR_NOT_FINITE', Buffer.from(FrameBatch.encode(nan).finish())],
    ['RS_ERR_CLOCK', Buffer.from(FrameBatch.encode(future).finish())],
    ['RS_ERR_TOO_LARGE', Buffer.alloc(10 * 1024 * 1024, 7)]
  ]
  for (const [, payload] of cases) await client.publishAsync(topic, payload, { qos: 1 })
  // and one valid frame from the same device, after the bad ones
  await client.publishAsync(topic, Buffer.from(FrameBatch.encode(validBatch('acme', 'bad-rig', 1, now)).finish()), { qos: 1 })

  const produced = await fleetDone
  await waitFor(() => stack.ingest.stats().deadLetters >= cases.length, 'dead letters')
  const { rows } = await stack.pool.query<{ reason: string, payload_size: number }>("SELECT reason, payload_size FROM dead_letters WHERE rig = 'bad-rig' OR rig IS NULL ORDER BY id")
  assert.deepEqual(rows.map(r => r.reason).sort(), cases.map(c => c[0]).sort(), 'one dead letter per bad payload, each with its own reason')
  assert.equal(rows.find(r => r.reason === 'RS_ERR_TOO_LARGE')?.payload_size, 10 * 1024 * 1024)
  await waitFor(async () => (await seqsStored(stack, 'acme', 'bad-rig')).length === 1, 'the valid frame of the same device stored')
  for (const [rig, max] of produced) {
    await waitFor(async () => (await seqsStored(stack, 'acme', rig)).length >= max, `${rig} stored`)
    assert.deepEqual(await seqsStored(stack, 'acme', rig), Array.from({ length: max }, (_, i) => i + 1), `${rig} complete`)
  }
})
