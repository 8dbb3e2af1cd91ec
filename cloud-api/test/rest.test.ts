// REST routes over real HTTP against a real PostgreSQL holding frames written by ingest's writer.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { LiveBus } from '../../common/src/live.js'
import { createRootLogger } from '../../common/src/logger.js'
import { requireProfile } from '../../common/src/profile.js'
import { rigstream } from '../../schemas/src/index.js'
import { startApi, type Api } from '../src/server.js'
import { frameBatch, stateOf, UCI_CHANNELS } from './support/frames.js'
import { storeForTest, type TestStore } from './support/store.js'

const log = createRootLogger({ level: 'silent' })
const SECOND = 1_000_000
// whole seconds, a minute ago: inside ingest's clock window
const base = (Math.floor(Date.now() / 1000) - 60) * SECOND
const startOf = (seq: number): number => base + seq * SECOND
let store: TestStore
let bus: LiveBus
let api: Api
const inserted = new Map<string, ReturnType<typeof frameBatch>>()

async function get (path: string): Promise<{ status: number, body: any }> {
  const r = await fetch(api.url + path)
  const text = await r.text()
  return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
}

before(async () => {
  store = await storeForTest()
  const batches = []
  for (let seq = 1; seq <= 5; seq++) batches.push(frameBatch('acme', 'r1', seq, { windowStartUs: startOf(seq) }))
  for (let seq = 1; seq <= 3; seq++) batches.push(frameBatch('acme', 'uci', seq, { windowStartUs: startOf(seq), channels: UCI_CHANNELS }))
  batches.push(frameBatch('other', 'r1', 1, { windowStartUs: startOf(1) }))
  await store.insert(batches)
  for (const b of batches) inserted.set(`${b.tenant}/${b.rig}/${Number(b.seq)}`, b)
  bus = new LiveBus()
  api = await startApi({ port: 0, queries: store.queries, bus, log })
})
after(async () => {
  await api.close()
  await store.close()
})

const samplesOf = (tenant: string, rig: string, seq: number, channel: string): number[] =>
  inserted.get(`${tenant}/${rig}/${seq}`)!.channels.find(c => c.id === channel)!.samples!.map(Math.fround)

test('GET /api/v1/rigs lists every stored rig, with live status from the bus', { timeout: 30_000 }, async () => {
  const all = await get('/api/v1/rigs')
  assert.equal(all.status, 200)
  assert.deepEqual(all.body.rigs.map((r: any) => `${r.tenant}/${r.rig}`), ['acme/r1', 'acme/uci', 'other/r1'])
  const r1 = all.body.rigs[0]
  assert.deepEqual(r1, { tenant: 'acme', rig: 'r1', profile: 'uci-hydraulic/v1', lastSeq: 5, lastSeenUs: startOf(5), frames: 5, status: 'UNKNOWN' })
  bus.emit('state', { tenant: 'acme', rig: 'r1', state: stateOf(rigstream.v1.RigState.Status.ONLINE) })
  const acme = await get('/api/v1/rigs?tenant=acme')
  assert.deepEqual(acme.body.rigs.map((r: any) => [r.rig, r.status]), [['r1', 'ONLINE'], ['uci', 'UNKNOWN']])
  const bad = await get('/api/v1/rigs?tenant=a%2Fb')
  assert.equal(bad.status, 400)
  assert.equal(bad.body.code, 'RS_ERR_BAD_REQUEST')
  assert.match(bad.body.message, /querystring\/tenant/)
})

test('GET .../frames returns the newest frames, newest first, with their samples', { timeout: 30_000 }, async () => {
  const r = await get('/api/v1/rigs/acme/r1/frames?channels=PS1,TS1&limit=4')
  assert.equal(r.status, 200)
  assert.equal(r.body.tenant, 'acme')
  assert.deepEqual(r.body.frames.map((f: any) => `${f.seq}:${f.channel}`), ['5:PS1', '5:TS1', '4:PS1', '4:TS1'])
  const ps1 = r.body.frames[0]
  assert.equal(ps1.startUs, startOf(5))
  assert.equal(ps1.rateHz, 100)
  assert.deepEqual(ps1.samples, samplesOf('acme', 'r1', 5, 'PS1'))
  assert.equal(ps1.min, Math.min(...ps1.samples))
  assert.equal(ps1.max, Math.max(...ps1.samples))
  assert.ok(Math.abs(ps1.mean - ps1.samples.reduce((a: number, b: number) => a + b, 0) / 100) < 1e-3)
  const since = await get(`/api/v1/rigs/acme/r1/frames?channels=TS1&since=${startOf(4)}`)
  assert.deepEqual(since.body.frames.map((f: any) => f.seq), [5, 4])
  // the replayed rig has only its 8 channels
  const uci = await get('/api/v1/rigs/acme/uci/frames?limit=100')
  assert.deepEqual(new Set(uci.body.frames.map((f: any) => f.channel)), new Set(UCI_CHANNELS))
  assert.equal(uci.body.frames.length, 3 * 8)
})

test('GET .../series: raw samples, and a min/max envelope when points are asked', { timeout: 30_000 }, async () => {
  const raw = await get(`/api/v1/rigs/acme/r1/series?channel=PS1&from=${startOf(2)}&to=${startOf(4)}`)
  assert.equal(raw.status, 200)
  assert.equal(raw.body.mode, 'raw')
  assert.equal(raw.body.t.length, 200)
  assert.equal(raw.body.t[0], startOf(2))
  assert.equal(raw.body.t[1] - raw.body.t[0], 10_000)
  assert.deepEqual(raw.body.v, [...samplesOf('acme', 'r1', 2, 'PS1'), ...samplesOf('acme', 'r1', 3, 'PS1')])
  const env = await get(`/api/v1/rigs/acme/r1/series?channel=PS1&from=${startOf(1)}&to=${startOf(6)}&points=5`)
  assert.equal(env.status, 200)
  assert.equal(env.body.mode, 'envelope')
  assert.deepEqual(env.body.t, [1, 2, 3, 4, 5].map(startOf))
  for (let seq = 1; seq <= 5; seq++) {
    const s = samplesOf('acme', 'r1', seq, 'PS1')
    assert.equal(env.body.min[seq - 1], Math.min(...s))
    assert.equal(env.body.max[seq - 1], Math.max(...s))
  }
  const ts = await get(`/api/v1/rigs/acme/uci/series?channel=TS1&from=${startOf(1)}&to=${startOf(4)}`)
  assert.deepEqual(ts.body.t, [1, 2, 3].map(startOf))
})

test('errors: unknown rig 404, bad parameters 400, each with its code and a specific message', { timeout: 30_000 }, async () => {
  const cases: Array<[string, number, string, RegExp]> = [
    ['/api/v1/rigs/acme/nope/frames', 404, 'RS_ERR_NOT_FOUND', /rig acme\/nope/],
    ['/api/v1/rigs/nobody/r1/series?channel=PS1', 404, 'RS_ERR_NOT_FOUND', /rig nobody\/r1/],
    ['/api/v1/rigs/acme/r1/frames?channels=PS1,XX9', 400, 'RS_ERR_UNKNOWN_CHANNEL', /XX9 is not a channel of profile uci-hydraulic\/v1/],
    ['/api/v1/rigs/acme/r1/frames?channels=PS%201', 400, 'RS_ERR_BAD_REQUEST', /querystring\/channels/],
    ['/api/v1/rigs/acme/r1/frames?limit=0', 400, 'RS_ERR_BAD_REQUEST', /querystring\/limit must be >= 1/],
    ['/api/v1/rigs/acme/r1/frames?since=yesterday', 400, 'RS_ERR_BAD_REQUEST', /querystring\/since must be integer/],
    ['/api/v1/rigs/ac%24me/r1/frames', 400, 'RS_ERR_BAD_REQUEST', /params\/tenant/],
    ['/api/v1/rigs/acme/r1/series', 400, 'RS_ERR_BAD_REQUEST', /must have required property 'channel'/],
    [`/api/v1/rigs/acme/r1/series?channel=PS1&from=${startOf(3)}&to=${startOf(2)}`, 400, 'RS_ERR_BAD_REQUEST', /from \(\d+\) must be before to/],
    [`/api/v1/rigs/acme/r1/series?channel=PS1&from=${startOf(3) - 86_400 * SECOND}&to=${startOf(3)}`, 400, 'RS_ERR_BAD_REQUEST', /pass points= for a min\/max envelope/],
    ['/api/v1/rigs/acme/r1/series?channel=PS1&points=0', 400, 'RS_ERR_BAD_REQUEST', /querystring\/points/],
    ['/api/v1/profile?id=nope%2Fv9', 404, 'RS_ERR_NOT_FOUND', /rig profile nope\/v9/],
    ['/api/v1/profile?id=constructor', 404, 'RS_ERR_NOT_FOUND', /rig profile constructor/], // not Object.prototype's member
    ['/api/v1/profile?id=__proto__', 404, 'RS_ERR_NOT_FOUND', /rig profile __proto__/],
    ['/api/v1/nothing-here', 404, 'RS_ERR_NOT_FOUND', /GET \/api\/v1\/nothing-here/]
  ]
  for (const [path, status, code, re] of cases) {
    const r = await get(path)
    assert.equal(r.status, status, path)
    assert.equal(r.body.code, code, path)
    assert.equal(r.body.statusCode, status, path)
    assert.match(r.body.message, re, path)
  }
})

test('GET /api/v1/profile and /healthz', { timeout: 30_000 }, async () => {
  const p = await get('/api/v1/profile')
  assert.equal(p.status, 200)
  const profile = requireProfile()
  assert.equal(p.body.id, profile.id)
  assert.deepEqual(p.body.channels.map((c: any) => [c.id, c.unit, c.rateHz]), profile.channels.map(c => [c.id, c.unit, c.rateHz]))
  assert.deepEqual(p.body.targets.map((t: any) => t.name), ['cooler', 'valve', 'pump', 'accumulator', 'stable'])
  assert.equal(p.body.samplesPerSecond, 728)
  const h = await get('/api/v1/healthz')
  assert.deepEqual({ status: h.body.status, wsClients: h.body.wsClients }, { status: 'ok', wsClients: 0 })
})

test('the built dashboard is served (uPlot bundled in); nothing from node_modules is', { timeout: 30_000 }, async () => {
  const page = await get('/')
  assert.equal(page.status, 200)
  assert.match(page.body, /<title>rigstream/)
  const src = /<script type="module"[^>]* src="([^"]+)"/.exec(page.body)?.[1]
  assert.ok(src, 'the page loads its bundle')
  const js = await fetch(api.url + src)
  assert.equal(js.status, 200)
  assert.match(js.headers.get('content-type') ?? '', /javascript/)
  assert.equal((await fetch(api.url + '/vendor/uplot/uPlot.esm.js')).status, 404)
  assert.equal((await fetch(api.url + '/node_modules/uplot/package.json')).status, 404)
  assert.equal((await fetch(api.url + '/assets/..%2F..%2F..%2Fpackage.json')).status, 404)
})
