// The broker over real sockets: mqtt.js clients over TCP and over WebSocket.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import mqtt from 'mqtt'
import { pino } from 'pino'
import { subscribeFrames } from '../../ingest/src/subscription.js'
import { rigTopic, cmdTopic, allRigsFilter } from '../../schemas/src/topics.js'
import { startTestBroker, connect, refusedCode, urlOf, Inbox, closed, suback, publishOutcome, TRANSPORTS, type TestBroker } from './helpers.js'

for (const transport of TRANSPORTS) {
  describe(`broker over ${transport}`, () => {
    let t: TestBroker
    let url: string
    before(async () => {
      t = await startTestBroker()
      url = urlOf(t.broker, transport)
    })
    after(async () => { await t.broker.close() })

    it('accepts a device and a service account with their credentials', async () => {
      const device = await connect(url, t.rig1)
      const service = await connect(url, t.service)
      assert.equal(device.connected, true)
      assert.equal(service.connected, true)
      assert.equal(t.broker.stats().clients, 2)
      await Promise.all([device.endAsync(), service.endAsync()])
    })

    it('refuses bad credentials with CONNACK 4 and a foreign will topic with CONNACK 5', async () => {
      const before = t.broker.stats().refusedConnects
      assert.equal(await refusedCode(url, { username: t.rig1.username, password: t.rig2.password }), 4)
      assert.equal(await refusedCode(url, { username: 'acme/rig-9', password: t.rig1.password }), 4)
      assert.equal(await refusedCode(url, { username: 'svc:ingest', password: 'x'.repeat(32) }), 4)
      assert.equal(await refusedCode(url, {}), 4)
      assert.equal(await refusedCode(url, { username: t.rig1.username }), 4)
      assert.equal(await refusedCode(url, t.rig1, { will: { topic: rigTopic('acme', 'rig-2', 'state'), payload: Buffer.from('offline'), qos: 1, retain: true } }), 5)
      assert.equal(await refusedCode(url, t.rig1, { will: { topic: rigTopic('acme', 'rig-1', 'frames'), payload: Buffer.from('x'), qos: 1, retain: false } }), 5)
      assert.equal(t.broker.stats().refusedConnects, before + 7)
      const refusals = t.logs.records().filter(r => r.event === 'mqtt.refused' && r.action === 'connect')
      assert.ok(refusals.some(r => r.username === 'acme/rig-9' && r.reason === 'bad username or password' && typeof r.clientId === 'string'))
    })

    it('drops a device publish to another rig or tenant: a frames subscriber never sees it, and sees the device\'s own frame sent after it', async () => {
      const service = await connect(url, t.service)
      const inbox = new Inbox(service)
      const granted = await service.subscribeAsync(allRigsFilter('frames'), { qos: 1 })
      assert.deepEqual(granted.map(g => g.qos), [1])
      const before = t.broker.stats().refusedPublishes

      const own = rigTopic('acme', 'rig-1', 'frames')
      for (const topic of [rigTopic('acme', 'rig-2', 'frames'), rigTopic('other', 'rig-1', 'frames'), 'rs/v1/acme/rig-1/frames/extra', '$SYS/fake']) {
        // [MQTT-3.3.5-2]: no negative PUBACK in 3.1.1, the broker closes the connection
        assert.equal(await publishOutcome(await connect(url, t.rig1), topic, 'forged', { qos: 1 }), 'closed', topic)
      }
      assert.equal(await publishOutcome(await connect(url, t.rig1), rigTopic('acme', 'rig-2', 'frames'), 'forged-qos0', { qos: 0, probeTopic: own }), 'closed')

      const good = await connect(url, t.rig1)
      await good.publishAsync(rigTopic('acme', 'rig-1', 'frames'), 'own', { qos: 1 })
      await inbox.count(1)
      assert.deepEqual(inbox.messages.map(m => [m.topic, m.payload]), [[rigTopic('acme', 'rig-1', 'frames'), 'own']])
      assert.equal(t.broker.stats().refusedPublishes, before + 5)
      const refusal = t.logs.records().find(r => r.event === 'mqtt.refused' && r.action === 'publish' && r.topic === rigTopic('other', 'rig-1', 'frames'))
      assert.equal(refusal?.username, 'acme/rig-1')
      assert.equal(typeof refusal?.clientId, 'string')
      assert.equal(refusal?.reason, 'topic belongs to another tenant')
      await Promise.all([good.endAsync(), service.endAsync()])
    })

    it('stores nothing of a refused retained publish', async () => {
      assert.equal(await publishOutcome(await connect(url, t.rig1), rigTopic('acme', 'rig-2', 'state'), 'forged-offline', { qos: 1, retain: true }), 'closed')
      const own = await connect(url, t.rig1)
      await own.publishAsync(rigTopic('acme', 'rig-1', 'state'), 'online', { qos: 1, retain: true })
      await own.endAsync()
      const persistence = (t.broker.aedes as unknown as { persistence: { createRetainedStreamCombi (p: string[]): AsyncIterable<{ topic: string }> } }).persistence
      const retained: string[] = []
      for await (const p of persistence.createRetainedStreamCombi(['rs/v1/#'])) retained.push(p.topic)
      assert.deepEqual(retained, [rigTopic('acme', 'rig-1', 'state')])
    })

    it('answers 0x80 to a device filter outside its own cmd/# and keeps the connection', async () => {
      const device = await connect(url, t.rig1)
      const before = t.broker.stats().refusedSubscribes
      const filters = ['rs/v1/acme/rig-1/cmd/#', 'rs/v1/acme/rig-2/cmd/#', 'rs/v1/other/rig-1/cmd/#', 'rs/v1/+/+/frames', 'rs/v1/acme/rig-1/frames', '#', '$SYS/#']
      assert.deepEqual(await suback(device, filters), [1, 128, 128, 128, 128, 128, 128])
      assert.equal(t.broker.stats().refusedSubscribes, before + 6)
      assert.equal(device.connected, true)
      await device.publishAsync(rigTopic('acme', 'rig-1', 'frames'), 'still here', { qos: 1 })
      await device.endAsync()
    })

    it('lets a service subscribe to every rig and command a device, which replies', async () => {
      const watcher = await connect(url, t.service)
      assert.deepEqual(await suback(watcher, ['rs/v1/#', 'rs/v1/+/+/frames', 'rs/v1/+/+/cmd-reply', 'rs/v1/acme/+/state']), [1, 1, 1, 1])
      assert.deepEqual(await suback(watcher, ['#', 'rs/+/acme/rig-1/frames', '$SYS/#', 'rs']), [128, 128, 128, 128])
      await watcher.endAsync()

      // only rig-2's topics: other tests leave retained state messages behind on other rigs
      const service = await connect(url, t.service)
      const serviceInbox = new Inbox(service)
      assert.deepEqual(await suback(service, ['rs/v1/acme/rig-2/#']), [1])
      const device = await connect(url, t.rig2)
      const deviceInbox = new Inbox(device)
      assert.deepEqual(await suback(device, ['rs/v1/acme/rig-2/cmd/#']), [1])
      await service.publishAsync(cmdTopic('acme', 'rig-2', 'model-update'), 'v2', { qos: 1 })
      await deviceInbox.count(1)
      assert.deepEqual(deviceInbox.messages[0], { topic: cmdTopic('acme', 'rig-2', 'model-update'), payload: 'v2', retain: false })
      await device.publishAsync(rigTopic('acme', 'rig-2', 'cmd-reply'), 'ok', { qos: 1 })
      // the service sees its own command, then the reply
      await serviceInbox.count(2)
      assert.deepEqual(serviceInbox.messages.map(m => m.payload), ['v2', 'ok'])
      await Promise.all([device.endAsync(), service.endAsync()])
    })

    it('publishes a device\'s last will on its own state topic when it drops', async () => {
      const service = await connect(url, t.service)
      const inbox = new Inbox(service)
      // only this rig's state: other tests leave retained state messages behind
      assert.deepEqual(await suback(service, [rigTopic('other', 'rig-1', 'state')]), [1])
      const device = await connect(url, t.otherTenant, { will: { topic: rigTopic('other', 'rig-1', 'state'), payload: Buffer.from('offline'), qos: 1, retain: false } })
      device.stream.destroy()
      await inbox.count(1)
      assert.deepEqual(inbox.messages[0], { topic: rigTopic('other', 'rig-1', 'state'), payload: 'offline', retain: false })
      device.end(true)
      await service.endAsync()
    })

    it('refuses a client id held by another account with CONNACK 2, and lets the same account take it over', async () => {
      const service = await connect(url, t.service, { clientId: `ingest-${transport}` })
      assert.equal(await refusedCode(url, t.rig1, { clientId: `ingest-${transport}` }), 2)
      assert.equal(service.connected, true)
      const second = await connect(url, t.service, { clientId: `ingest-${transport}` })
      await closed(service) // [MQTT-3.1.4-2] the older connection of the same id is closed
      service.end(true)
      await second.endAsync()
    })

    it('closes a connection whose first packet (CONNECT, before login) is over 64 KiB', async () => {
      const before = t.broker.stats().refusedConnects
      // a 60,000-byte password and a 10,000-byte will: each within MQTT's own 65,535, together over
      const will = { topic: rigTopic('acme', 'rig-1', 'state'), payload: Buffer.alloc(10_000, 1), qos: 1 as const, retain: false }
      await assert.rejects(connect(url, { username: t.rig1.username, password: 'p'.repeat(60_000) }, { connectTimeout: 5000, will }))
      assert.equal(t.broker.stats().refusedConnects, before + 1)
      assert.ok(t.logs.records().some(r => r.event === 'mqtt.refused' && r.action === 'connect' && /exceeds the limit of 65536/.test(String(r.reason))))
      const ok = await connect(url, t.rig1)
      await ok.endAsync()
    })

    it('refuses another account the client id of a persistent session while its owner is away, and keeps the session', async () => {
      const id = `away-${transport}`
      const service = await connect(url, t.service, { clientId: id, clean: false })
      assert.deepEqual(await suback(service, [rigTopic('acme', 'rig-2', 'frames')]), [1])
      await service.endAsync()
      const rig2 = await connect(url, t.rig2)
      await rig2.publishAsync(rigTopic('acme', 'rig-2', 'frames'), Buffer.from('queued'), { qos: 1 })
      // a device borrowing the id, with either kind of session, is refused
      assert.equal(await refusedCode(url, t.rig1, { clientId: id, clean: true }), 2)
      assert.equal(await refusedCode(url, t.rig1, { clientId: id, clean: false }), 2)
      // the owner comes back to its session, with the message queued while it was away
      const back = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, clientId: id, clean: false, username: t.service.username, password: t.service.password })
      const inbox = new Inbox(back) // before CONNACK: the queued message follows it at once
      await inbox.count(1)
      assert.equal(inbox.messages[0].payload, 'queued')
      await back.endAsync()
      await rig2.endAsync()
      // ingest started onto an id a device holds is told so, not "bad credentials"
      const squatter = await connect(url, t.rig1, { clientId: `squat-${transport}` })
      await assert.rejects(subscribeFrames({ mqttUrl: url, username: t.service.username, password: t.service.password, clientId: `squat-${transport}`, log: pino({ level: 'silent' }), onMessage: () => {}, hasRoom: () => true }),
        (err: Error & { code?: string }) => err.code === 'RS_ERR_CONFLICT' && /squat-.*another account/.test(err.message))
      await squatter.endAsync()
      // a clean session gives the id up when it ends
      const once = await connect(url, t.rig1, { clientId: `clean-${transport}`, clean: true })
      await once.endAsync()
      const other = await connect(url, t.rig2, { clientId: `clean-${transport}`, clean: true })
      await other.endAsync()
    })

    if (transport === 'ws') {
      it('answers plain HTTP on the WebSocket port with 426 Upgrade Required', async () => {
        const res = await fetch(url.replace(/^ws:/, 'http:'))
        assert.equal(res.status, 426)
        await res.text()
      })
    }

    it('never writes a password into the log', () => {
      const text = t.logs.text()
      assert.ok(text.length > 0)
      assert.ok(t.logs.records().some(r => r.event === 'mqtt.connected'), 'debug connect lines are present')
      for (const secret of [t.rig1.password, t.rig2.password, t.otherTenant.password, t.service.password, 'x'.repeat(32)]) {
        assert.equal(text.includes(secret), false)
      }
    })
  })
}

describe('broker payload limit', () => {
  let t: TestBroker
  before(async () => { t = await startTestBroker({ maxPayloadBytes: 4096 }) })
  after(async () => { await t.broker.close() })

  it('refuses a payload over maxPayloadBytes, both after parsing and before buffering a huge packet', async () => {
    const service = await connect(t.broker.url, t.service)
    const inbox = new Inbox(service)
    await service.subscribeAsync(allRigsFilter('frames'), { qos: 1 })
    const before = t.broker.stats().refusedPublishes

    assert.equal(await publishOutcome(await connect(t.broker.url, t.rig1), rigTopic('acme', 'rig-1', 'frames'), Buffer.alloc(4097, 1), { qos: 1 }), 'closed')
    assert.equal(await publishOutcome(await connect(t.broker.wsUrl!, t.rig1), rigTopic('acme', 'rig-1', 'frames'), Buffer.alloc(200_000, 2), { qos: 1 }), 'closed')

    const ok = await connect(t.broker.url, t.rig1)
    await ok.publishAsync(rigTopic('acme', 'rig-1', 'frames'), Buffer.alloc(4096, 3), { qos: 1 })
    await inbox.count(1)
    assert.equal(inbox.messages.length, 1)
    assert.equal(inbox.messages[0].payload.length, 4096)
    assert.equal(t.broker.stats().refusedPublishes, before + 2)
    const reasons = t.logs.records().filter(r => r.event === 'mqtt.refused').map(r => String(r.reason))
    assert.ok(reasons.some(r => r.startsWith('payload of 4097 bytes exceeds')), reasons.join('; '))
    assert.ok(reasons.some(r => r.startsWith('MQTT packet of') && r.includes('exceeds the limit')), reasons.join('; '))
    await Promise.all([ok.endAsync(), service.endAsync()])
  })
})

describe('broker packet guard on a raw socket', () => {
  it('closes a connection whose first packet announces 100 MiB, without waiting for the body', async () => {
    const { createConnection } = await import('node:net')
    const t = await startTestBroker()
    try {
      const sock = createConnection({ host: '127.0.0.1', port: t.broker.port })
      await new Promise<void>(resolve => sock.once('connect', () => resolve()))
      const closedSock = new Promise<void>(resolve => sock.once('close', () => resolve()))
      sock.on('error', () => {})
      sock.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x32])) // PUBLISH, remaining length 100 MiB
      await closedSock
      // the first packet of a connection is bounded by FIRST_PACKET_LIMIT (before login only CONNECT is valid)
      assert.equal(t.broker.stats().refusedConnects, 1)
      const r = t.logs.records().find(x => x.event === 'mqtt.refused')
      assert.equal(r?.reason, `MQTT packet of ${100 * 1024 * 1024} bytes exceeds the limit of ${64 * 1024}`)
    } finally {
      await t.broker.close()
    }
  })
})
