// /ws?batch=1: what the hub writes to a client in one turn of the event loop leaves as one
// WebSocket message (a JSON array, in order); a lone message leaves as itself; without the
// option nothing changes. Real server, real `ws` clients.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LiveBus } from '../../common/src/live.js'
import { createRootLogger } from '../../common/src/logger.js'
import { startApi } from '../src/server.js'
import { frameBatch } from './support/frames.js'
import { TestClient } from './support/ws-client.js'
import { storeForTest } from './support/store.js'

const log = createRootLogger({ level: 'silent' })

test('batch=1: the frames of one turn arrive as one array, in order; a lone frame as an object; plain clients unchanged', { timeout: 60_000 }, async () => {
  const store = await storeForTest()
  const bus = new LiveBus()
  const api = await startApi({ port: 0, queries: store.queries, bus, log })
  const base = api.url.replace('http', 'ws') + '/ws'
  const batched = await TestClient.connect(base + '?batch=1')
  const plain = await TestClient.connect(base)
  try {
    assert.equal(batched.of('hello')[0].batch, true)
    assert.equal(plain.of('hello')[0].batch, false)
    for (const c of [batched, plain]) {
      await c.request({ type: 'subscribe', tenant: 'acme', rig: 'a', channels: ['TS1'] }, 'subscribed')
      await c.request({ type: 'subscribe', tenant: 'acme', rig: 'b' }, 'subscribed')
    }
    const wire0 = batched.wire.length
    const plainWire0 = plain.wire.length
    // 20 frames of two rigs in one synchronous burst (as ingest hands over one MQTT read)
    for (let seq = 1; seq <= 10; seq++) {
      for (const rig of ['a', 'b']) bus.emit('frames', { tenant: 'acme', rig, seq, batch: frameBatch('acme', rig, seq) })
    }
    await batched.next(m => m.type === 'frames' && m.rig === 'b' && m.seq === 10)
    await plain.next(m => m.type === 'frames' && m.rig === 'b' && m.seq === 10)
    // the hub also announces each rig it sees for the first time ('rigs'): 2 + 20 messages
    assert.deepEqual(batched.wire.slice(wire0), [22], 'one WebSocket message carrying the 2 announcements and the 20 frames')
    assert.deepEqual(plain.wire.slice(plainWire0), new Array(22).fill(0), 'twenty-two messages, none of them an array')
    const order = (c: TestClient): string[] => c.of('frames').map(m => `${m.rig}${m.seq}`)
    assert.deepEqual(order(batched), order(plain), 'same frames, same order')
    assert.deepEqual(Object.keys(batched.of('frames').find(m => m.rig === 'a')!.channels), ['TS1'], 'each subscription keeps its channels')
    // a lone frame in its own turn: an object, not an array of one
    const wire1 = batched.wire.length
    bus.emit('frames', { tenant: 'acme', rig: 'a', seq: 11, batch: frameBatch('acme', 'a', 11) })
    await batched.next(m => m.type === 'frames' && m.rig === 'a' && m.seq === 11)
    assert.deepEqual(batched.wire.slice(wire1), [0])
  } finally {
    await batched.close()
    await plain.close()
    await api.close()
    await store.close()
  }
})
