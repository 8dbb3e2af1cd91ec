// The live WebSocket, end to end inside one process: a real LiveBus feeding startApi, real `ws`
// clients on a real TCP port.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { LiveBus } from '../../common/src/live.js'
import { createRootLogger } from '../../common/src/logger.js'
import { requireProfile } from '../../common/src/profile.js'
import { RigState } from '../../schemas/src/index.js'
import { startApi, type Api } from '../src/server.js'
import { frameBatch, stateOf, UCI_CHANNELS } from './support/frames.js'
import { TestClient, type Msg } from './support/ws-client.js'
import { storeForTest, type TestStore } from './support/store.js'

const log = createRootLogger({ level: 'silent' })
let bus: LiveBus
let api: Api
let wsUrl: string
let store: TestStore

before(async () => {
  store = await storeForTest()
  bus = new LiveBus()
  api = await startApi({ port: 0, queries: store.queries, bus, log })
  wsUrl = api.url.replace('http', 'ws') + '/ws'
})
after(async () => {
  await api.close()
  await store.close()
})

const emit = (tenant: string, rig: string, seq: number, channels?: string[]): void => {
  bus.emit('frames', { tenant, rig, seq, batch: frameBatch(tenant, rig, seq, { channels }) })
}
const isFrames = (rig: string, seq?: number) => (m: Msg) => m.type === 'frames' && m.rig === rig && (seq === undefined || m.seq === seq)

test('a client receives only the frames of the rigs it subscribed to', { timeout: 30_000 }, async () => {
  const c = await TestClient.connect(wsUrl)
  const ack = await c.request({ type: 'subscribe', tenant: 'acme', rig: 'r1', channels: ['PS1'] }, 'subscribed')
  assert.deepEqual(ack, { type: 'subscribed', tenant: 'acme', rig: 'r1', channels: ['PS1'] })
  emit('acme', 'r1', 1)
  emit('acme', 'r2', 1)
  emit('other', 'r1', 1)
  emit('acme', 'r1', 2)
  await c.next(isFrames('r1', 2))
  const frames = c.of('frames')
  assert.deepEqual(frames.map(f => `${f.tenant}/${f.rig}/${f.seq}`), ['acme/r1/1', 'acme/r1/2'])
  assert.equal(frames[0].windowStartUs, 1_700_000_000_000_000 + requireProfile().windowUs)
  await c.close()
})

test('frames are downsampled to at most 20 points per channel-second as min/max pairs', { timeout: 30_000 }, async () => {
  const c = await TestClient.connect(wsUrl)
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'ds' }, 'subscribed')
  const batch = frameBatch('acme', 'ds', 7)
  bus.emit('frames', { tenant: 'acme', rig: 'ds', seq: 7, batch })
  const m = await c.next(isFrames('ds', 7))
  const profile = requireProfile()
  // no channels asked: every channel the frame carries
  assert.deepEqual(Object.keys(m.channels).sort(), profile.channels.map(ch => ch.id).sort())
  for (const src of batch.channels) {
    const out = m.channels[src.id!] as { startUs: number, dtUs: number, v: number[] }
    const n = src.samples!.length
    assert.equal(out.startUs, Number(src.startUs))
    if (n <= 20) {
      assert.equal(out.v.length, n, `${src.id} raw`)
      assert.equal(out.dtUs, 1e6 / src.rateHz!)
      out.v.forEach((x, i) => assert.ok(Math.abs(x - src.samples![i]) < 1e-3, `${src.id}[${i}]`))
    } else {
      // 100 Hz: 10 buckets of 10 samples, each sends its min and max → 20 values, half a bucket apart
      assert.equal(out.v.length, 20, `${src.id} min/max`)
      assert.equal(out.dtUs, 50_000)
      const s = src.samples!
      assert.ok(Math.abs(Math.min(...out.v) - Math.min(...s)) < 1e-3, `${src.id} keeps its minimum`)
      assert.ok(Math.abs(Math.max(...out.v) - Math.max(...s)) < 1e-3, `${src.id} keeps its maximum`)
      for (let b = 0; b < 10; b++) {
        const bucket = s.slice(b * 10, b * 10 + 10)
        const pair = out.v.slice(b * 2, b * 2 + 2).sort((x, y) => x - y)
        assert.ok(Math.abs(pair[0] - Math.min(...bucket)) < 1e-3 && Math.abs(pair[1] - Math.max(...bucket)) < 1e-3, `${src.id} bucket ${b}`)
      }
    }
  }
  await c.close()
})

test('a channel subset, and the 8 UCI 1 Hz channels of a replayed rig, arrive as asked', { timeout: 30_000 }, async () => {
  const c = await TestClient.connect(wsUrl)
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'sub', channels: ['TS1', 'PS1', 'PS1'] }, 'subscribed')
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'uci' }, 'subscribed')
  emit('acme', 'sub', 1)
  emit('acme', 'uci', 1, UCI_CHANNELS)
  const sub = await c.next(isFrames('sub', 1))
  const uci = await c.next(isFrames('uci', 1))
  assert.deepEqual(Object.keys(sub.channels).sort(), ['PS1', 'TS1'])
  assert.deepEqual(Object.keys(uci.channels).sort(), [...UCI_CHANNELS].sort())
  for (const id of UCI_CHANNELS) assert.equal(uci.channels[id].v.length, 1)
  // subscribing again replaces the channel set
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'sub', channels: ['FS1'] }, 'subscribed')
  emit('acme', 'sub', 2)
  const again = await c.next(isFrames('sub', 2))
  assert.deepEqual(Object.keys(again.channels), ['FS1'])
  assert.equal(again.channels.FS1.v.length, 10)
  await c.close()
})

test('bad messages get a specific error and the socket stays up', { timeout: 30_000 }, async () => {
  const c = await TestClient.connect(wsUrl)
  const cases: Array<[unknown, string, RegExp]> = [
    ['{not json', 'RS_ERR_WS_MESSAGE', /not JSON/],
    ['[1,2]', 'RS_ERR_WS_MESSAGE', /JSON object/],
    [{ type: 'launch' }, 'RS_ERR_WS_MESSAGE', /unknown message type "launch"/],
    [{ tenant: 'acme' }, 'RS_ERR_WS_MESSAGE', /unknown message type undefined/],
    [{ type: 'subscribe', tenant: 'acme/#', rig: 'r1' }, 'RS_ERR_BAD_REQUEST', /"tenant"/],
    [{ type: 'subscribe', tenant: 'acme', rig: '' }, 'RS_ERR_BAD_REQUEST', /"rig"/],
    [{ type: 'subscribe', tenant: 'acme', rig: 'r1', channels: 'PS1' }, 'RS_ERR_BAD_REQUEST', /array/],
    [{ type: 'subscribe', tenant: 'acme', rig: 'r1', channels: [] }, 'RS_ERR_BAD_REQUEST', /empty/],
    [{ type: 'subscribe', tenant: 'acme', rig: 'r1', channels: ['PS1', 'P S'] }, 'RS_ERR_BAD_REQUEST', /"P S"/],
    [{ type: 'unsubscribe', tenant: 'acme', rig: 'never' }, 'RS_ERR_NOT_FOUND', /no subscription to acme\/never/]
  ]
  for (const [msg, code, re] of cases) {
    const reply = await c.request(msg, 'error')
    assert.equal(reply.type, 'error')
    assert.equal(reply.code, code, JSON.stringify(msg))
    assert.match(reply.message, re)
  }
  const from = c.messages.length
  c.ws.send(Buffer.from([1, 2, 3]), { binary: true })
  const bin = await c.next(m => m.type === 'error', from)
  assert.match(bin.message, /binary/)
  // still up and working
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'alive' }, 'subscribed')
  emit('acme', 'alive', 1)
  await c.next(isFrames('alive', 1))
  await c.close()
})

test('unsubscribe stops delivery', { timeout: 30_000 }, async () => {
  const c = await TestClient.connect(wsUrl)
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'u1' }, 'subscribed')
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'u2' }, 'subscribed')
  emit('acme', 'u1', 1)
  await c.next(isFrames('u1', 1))
  const ack = await c.request({ type: 'unsubscribe', tenant: 'acme', rig: 'u1' }, 'unsubscribed')
  assert.deepEqual(ack, { type: 'unsubscribed', tenant: 'acme', rig: 'u1' })
  emit('acme', 'u1', 2)
  emit('acme', 'u2', 1)
  // one socket delivers in order: had u1/2 been sent, it would be here before u2/1
  await c.next(isFrames('u2', 1))
  assert.deepEqual(c.of('frames').filter(f => f.rig === 'u1').map(f => f.seq), [1])
  await c.close()
})

test('state, prediction and alert events reach subscribers; a new rig is announced to everyone', { timeout: 30_000 }, async () => {
  const watcher = await TestClient.connect(wsUrl)
  const bystander = await TestClient.connect(wsUrl)
  await watcher.request({ type: 'subscribe', tenant: 'acme', rig: 'ev' }, 'subscribed')
  bus.emit('state', { tenant: 'acme', rig: 'ev', state: stateOf(RigState.Status.ONLINE) })
  const st = await watcher.next(m => m.type === 'state')
  assert.equal(st.rig, 'ev')
  assert.equal(st.state.status, 'ONLINE')
  assert.equal(st.state.source, 'simulator')
  // the first sight of acme/ev went to every client
  const announced = await bystander.next(m => m.type === 'rigs')
  assert.deepEqual(announced.added, [{ tenant: 'acme', rig: 'ev' }])
  bus.emit('prediction', {
    tenant: 'acme',
    rig: 'ev',
    prediction: { tenant: 'acme', rig: 'ev', windowStartUs: 1, windowEndUs: 2, modelVersion: 'm1', source: 2, heads: [{ target: 'valve', classIndex: 3, label: 'optimal switching', probs: [0.1, 0.1, 0.1, 0.7] }], firstSeq: 1, lastSeq: 60, producedUs: 3 } as never
  })
  const p = await watcher.next(m => m.type === 'prediction')
  assert.equal(p.prediction.source, 'CLOUD')
  assert.equal(p.prediction.heads[0].label, 'optimal switching')
  bus.emit('alert', { tenant: 'acme', rig: 'ev', alert: { id: 'a1', tenant: 'acme', rig: 'ev', timeUs: 5, severity: 3, component: 'valve', rule: 'class', message: 'valve close to total failure', raisedOffline: false } as never })
  const a = await watcher.next(m => m.type === 'alert')
  assert.equal(a.alert.severity, 'CRITICAL')
  assert.equal(a.alert.message, 'valve close to total failure')
  assert.equal(bystander.of('state').length + bystander.of('prediction').length + bystander.of('alert').length, 0)
  // a late subscriber is sent the last state and prediction at once
  const late = await TestClient.connect(wsUrl)
  await late.request({ type: 'subscribe', tenant: 'acme', rig: 'ev' }, 'subscribed')
  assert.equal((await late.next(m => m.type === 'state')).state.status, 'ONLINE')
  assert.equal((await late.next(m => m.type === 'prediction')).prediction.modelVersion, 'm1')
  await Promise.all([watcher.close(), bystander.close(), late.close()])
})

test('a malformed bus event never throws into the emitter (ingest commits through emit)', { timeout: 30_000 }, async () => {
  const c = await TestClient.connect(wsUrl)
  await c.request({ type: 'subscribe', tenant: 'acme', rig: 'broken' }, 'subscribed')
  assert.doesNotThrow(() => bus.emit('frames', { tenant: 'acme', rig: 'broken', seq: 1, batch: null as never }))
  assert.doesNotThrow(() => bus.emit('state', { tenant: 'acme', rig: 'broken', state: null as never }))
  emit('acme', 'broken', 2)
  await c.next(isFrames('broken', 2))
  await c.close()
})

test('stats count connected clients', { timeout: 30_000 }, async () => {
  const base = api.stats().wsClients
  const a = await TestClient.connect(wsUrl)
  const b = await TestClient.connect(wsUrl)
  assert.equal(api.stats().wsClients, base + 2)
  await a.close()
  await b.close()
  while (api.stats().wsClients !== base) await new Promise(resolve => setImmediate(resolve))
})

test('a closing server says goodbye to its live sockets: close code 1001, going away', { timeout: 30_000 }, async () => {
  const own = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log })
  const c = await TestClient.connect(own.url.replace('http', 'ws') + '/ws')
  const closed = new Promise<[number, string]>(resolve => c.ws.once('close', (code, reason) => resolve([code, String(reason)])))
  await own.close()
  assert.deepEqual(await closed, [1001, 'server shutting down'])
})
