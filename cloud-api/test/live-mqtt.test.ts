// The standalone live feed against a real Mosquitto broker: decode, identity check, kinds filter.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import mqtt from 'mqtt'
import { LiveBus, type LiveFrame, type LiveState, type LiveAlert, type LivePrediction } from '../../common/src/live.js'
import { createRootLogger } from '../../common/src/logger.js'
import { freePort } from '../../common/src/net.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { FrameBatch, RigState, Alert, Prediction, rigTopic, rigstream } from '../../schemas/src/index.js'
import { startMqttLive } from '../src/live-mqtt.js'
import { frameBatch, stateOf } from './support/frames.js'

const log = createRootLogger({ level: 'silent' })

test('frames, state, predictions and alerts from MQTT reach the LiveBus; bad payloads are counted and skipped', { timeout: 60_000 }, async () => {
  const mosq = await startMosquitto()
  const bus = new LiveBus()
  const got: string[] = []
  bus.on('frames', (e: LiveFrame) => got.push(`frames ${e.tenant}/${e.rig}/${e.seq} ${e.batch.channels.length}ch`))
  bus.on('state', (e: LiveState) => got.push(`state ${e.tenant}/${e.rig} ${e.state.status}`))
  bus.on('prediction', (e: LivePrediction) => got.push(`prediction ${e.tenant}/${e.rig} ${e.prediction.modelVersion}`))
  bus.on('alert', (e: LiveAlert) => got.push(`alert ${e.tenant}/${e.rig} ${e.alert.message}`))
  const live = await startMqttLive({ url: mosq.url, bus, log })
  const pub = await mqtt.connectAsync(mosq.url, { protocolVersion: 4 })
  try {
    const send = (topic: string, bytes: Uint8Array): Promise<unknown> => pub.publishAsync(topic, Buffer.from(bytes), { qos: 1 })
    await send(rigTopic('t1', 'r1', 'frames'), FrameBatch.encode(frameBatch('t1', 'r1', 3)).finish())
    await send(rigTopic('t1', 'r1', 'frames'), Buffer.from([0xff, 0xff, 0xff, 0x01]))
    await send(rigTopic('t1', 'r1', 'frames'), FrameBatch.encode(frameBatch('t1', 'OTHER', 4)).finish())
    await send(rigTopic('t1', 'r1', 'state'), RigState.encode(stateOf(rigstream.v1.RigState.Status.ONLINE)).finish())
    await send(rigTopic('t1', 'r1', 'predictions'), Prediction.encode({ tenant: 't1', rig: 'r1', modelVersion: 'm7' }).finish())
    await send(rigTopic('t1', 'r1', 'predictions'), Prediction.encode({ tenant: 't2', rig: 'r1', modelVersion: 'liar' }).finish())
    await send(rigTopic('t1', 'r1', 'alerts'), Alert.encode({ tenant: 't1', rig: 'r1', message: 'valve lag' }).finish())
    await send('rs/v1/t1/r1/cmd/model', Buffer.from('not for us'))
    await send(rigTopic('t1', 'r2', 'frames'), FrameBatch.encode(frameBatch('t1', 'r2', 1)).finish())
    // one publisher, one subscriber: Mosquitto keeps the order, so the last one marks the end
    while (!got.includes('frames t1/r2/1 17ch')) await new Promise(resolve => setTimeout(resolve, 10))
    assert.deepEqual(got, [
      'frames t1/r1/3 17ch',
      'state t1/r1 1',
      'prediction t1/r1 m7',
      'alert t1/r1 valve lag',
      'frames t1/r2/1 17ch'
    ])
    const s = live.stats()
    assert.equal(s.decodeErrors, 1)
    assert.equal(s.identityErrors, 2)
    assert.equal(s.emitted, 5)
    assert.equal(s.connected, true)
  } finally {
    await pub.endAsync()
    await live.close()
    await mosq.stop()
  }
})

test('kinds limits what is followed (the embedded process takes frames from ingest)', { timeout: 60_000 }, async () => {
  const mosq = await startMosquitto()
  const bus = new LiveBus()
  const got: string[] = []
  bus.on('frames', (e: LiveFrame) => got.push(`frames ${e.seq}`))
  bus.on('alert', (e: LiveAlert) => got.push(`alert ${e.alert.message}`))
  const live = await startMqttLive({ url: mosq.url, bus, log, kinds: ['state', 'alerts'] })
  const pub = await mqtt.connectAsync(mosq.url, { protocolVersion: 4 })
  try {
    await pub.publishAsync(rigTopic('t1', 'r1', 'frames'), Buffer.from(FrameBatch.encode(frameBatch('t1', 'r1', 1)).finish()), { qos: 1 })
    await pub.publishAsync(rigTopic('t1', 'r1', 'alerts'), Buffer.from(Alert.encode({ tenant: 't1', rig: 'r1', message: 'end' }).finish()), { qos: 1 })
    while (!got.includes('alert end')) await new Promise(resolve => setTimeout(resolve, 10))
    assert.deepEqual(got, ['alert end'])
    assert.equal(live.stats().received, 1, 'the frames topic was not even subscribed')
  } finally {
    await pub.endAsync()
    await live.close()
    await mosq.stop()
  }
})

test('no broker at the address: start fails instead of hanging', { timeout: 60_000 }, async () => {
  const port = await freePort()
  await assert.rejects(startMqttLive({ url: `mqtt://127.0.0.1:${port}`, bus: new LiveBus(), log }), /ECONNREFUSED/)
})
