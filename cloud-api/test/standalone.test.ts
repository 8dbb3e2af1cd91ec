// `rigstream api` on its own, as deployed: a child process reading a real PostgreSQL and following
// rigs live through a real Mosquitto broker; stopped with SIGTERM.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import mqtt from 'mqtt'
import { repoPath } from '../../common/src/paths.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { FrameBatch, RigState, rigTopic, rigstream } from '../../schemas/src/index.js'
import { readApiConfig } from '../src/config.js'
import { frameBatch, stateOf } from './support/frames.js'
import { TestClient } from './support/ws-client.js'
import { storeForTest } from './support/store.js'

test('config: DATABASE_URL is required, bad values are named', () => {
  assert.throws(() => readApiConfig({}), /RS_ERR_CONFIG|DATABASE_URL is required/)
  assert.throws(() => readApiConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must start with postgres/)
  assert.throws(() => readApiConfig({ DATABASE_URL: 'postgres://x/db', RS_HTTP_PORT: '70000' }), /RS_HTTP_PORT/)
  assert.throws(() => readApiConfig({ DATABASE_URL: 'postgres://x/db', MQTT_URL: 'http://x' }), /MQTT_URL must start with/)
  assert.throws(() => readApiConfig({ DATABASE_URL: 'postgres://x/db', RS_PROFILE: 'nope/v1' }), /RS_PROFILE "nope\/v1"/)
  assert.throws(() => readApiConfig({ DATABASE_URL: 'postgres://x/db' }, ['--verbose']), /unknown option --verbose/)
  const c = readApiConfig({ DATABASE_URL: 'postgres://x/db', MQTT_URL: 'mqtt://127.0.0.1:1' }, ['--port', '0'])
  assert.equal(c.port, 0)
  assert.ok(Object.isFrozen(c))
})

test('rigstream api serves the database and pushes what rigs publish over MQTT', { timeout: 120_000 }, async () => {
  const mosq = await startMosquitto()
  const store = await storeForTest()
  const windowStartUs = (Math.floor(Date.now() / 1000) - 10) * 1_000_000
  await store.insert([frameBatch('demo', 'r1', 1, { windowStartUs })])
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'api', '--port', '0'], {
    env: { ...process.env, DATABASE_URL: store.url, MQTT_URL: mosq.url, RS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stderr.on('data', d => { err += String(d) })
  const pub = await mqtt.connectAsync(mosq.url, { protocolVersion: 4 })
  let ws: TestClient | undefined
  try {
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', d => {
        out += String(d)
        const m = /dashboard at (http:\/\/\S+)\//.exec(out)
        if (m) resolve(m[1])
      })
      child.once('exit', code => reject(new Error(`rigstream api exited ${code}: ${err}`)))
    })
    const health = await (await fetch(base + '/api/v1/healthz')).json() as { status: string }
    assert.equal(health.status, 'ok')
    const { rigs } = await (await fetch(base + '/api/v1/rigs')).json() as { rigs: Array<{ rig: string, lastSeq: number, lastSeenUs: number }> }
    assert.deepEqual(rigs.map(r => [r.rig, r.lastSeq, r.lastSeenUs]), [['r1', 1, windowStartUs]])
    ws = await TestClient.connect(base.replace('http', 'ws') + '/ws')
    await ws.request({ type: 'subscribe', tenant: 'demo', rig: 'r1', channels: ['PS1', 'TS1'] }, 'subscribed')
    // garbage and a payload that lies about its rig are skipped; the feed goes on
    await pub.publishAsync(rigTopic('demo', 'r1', 'frames'), Buffer.from('not protobuf at all \xff\xff'), { qos: 1 })
    await pub.publishAsync(rigTopic('demo', 'r1', 'frames'), Buffer.from(FrameBatch.encode(frameBatch('demo', 'r2', 5)).finish()), { qos: 1 })
    await pub.publishAsync(rigTopic('demo', 'r1', 'state'), Buffer.from(RigState.encode(stateOf(rigstream.v1.RigState.Status.ONLINE)).finish()), { qos: 1, retain: true })
    await pub.publishAsync(rigTopic('demo', 'r1', 'frames'), Buffer.from(FrameBatch.encode(frameBatch('demo', 'r1', 2)).finish()), { qos: 1 })
    const f = await ws.next(m => m.type === 'frames')
    assert.equal(f.seq, 2)
    assert.deepEqual(Object.keys(f.channels).sort(), ['PS1', 'TS1'])
    assert.equal(f.channels.PS1.v.length, 20)
    assert.equal((await ws.next(m => m.type === 'state')).state.status, 'ONLINE')
    assert.deepEqual(ws.of('frames').map(m => `${m.rig}/${m.seq}`), ['r1/2'])
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    assert.equal(code, 0, err)
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await ws?.close().catch(() => {})
    await pub.endAsync()
    await store.close()
    await mosq.stop()
  }
})
