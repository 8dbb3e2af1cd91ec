// GET /metrics in Prometheus text format: the api's own series (requests, WebSocket clients) and,
// when the process runs ingest, ingest's (a real ingest on a real Mosquitto and PostgreSQL).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { repoPath } from '../../common/src/paths.js'
import mqtt from 'mqtt'
import { pino } from 'pino'
import { LiveBus } from '../../common/src/live.js'
import { MetricsRegistry, serveMetrics } from '../../common/src/metrics.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { startIngest } from '../../ingest/src/service.js'
import { frameObject, encodeFrame, frameTopic } from '../../ingest/test/frames.js'
import { startApi } from '../src/server.js'
import { registerIngestMetrics } from '../src/metrics.js'
import { storeForTest } from './support/store.js'
import { TestClient } from './support/ws-client.js'

const log = pino({ level: 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

/** sample value of one series line, e.g. value(text, 'rigstream_api_ws_clients') */
function value (text: string, series: string): number | undefined {
  const line = text.split('\n').find(l => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** every line is a comment (HELP/TYPE) or `name{labels} value` (exposition format 0.0.4) */
function assertExposition (text: string): void {
  assert.ok(text.endsWith('\n'))
  for (const line of text.trimEnd().split('\n')) {
    assert.match(line, /^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf))$/, line)
  }
}

test('/metrics serves request counts, durations and WebSocket clients in Prometheus text format', { timeout: 60_000 }, async () => {
  const store = await storeForTest()
  cleanups.push(() => store.close())
  const api = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log })
  cleanups.push(() => api.close())
  for (let i = 0; i < 3; i++) assert.equal((await fetch(api.url + '/api/v1/rigs')).status, 200)
  assert.equal((await fetch(api.url + '/api/v1/rigs/acme/none/frames')).status, 404)
  const ws = await TestClient.connect(api.url.replace('http', 'ws') + '/ws')
  await ws.request({ type: 'subscribe', tenant: 'acme', rig: 'r1' }, 'subscribed')

  const r = await fetch(api.url + '/metrics')
  assert.equal(r.status, 200)
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
  const text = await r.text()
  assertExposition(text)
  assert.match(text, /^# TYPE rigstream_api_http_requests_total counter$/m)
  assert.match(text, /^# TYPE rigstream_api_http_request_duration_seconds histogram$/m)
  assert.match(text, /^# TYPE rigstream_api_ws_clients gauge$/m)
  assert.equal(value(text, 'rigstream_api_http_requests_total{method="GET",route="/api/v1/rigs",status="200"}'), 3)
  // the route pattern is the label, never the URL with its ids
  assert.equal(value(text, 'rigstream_api_http_requests_total{method="GET",route="/api/v1/rigs/:tenant/:rig/frames",status="404"}'), 1)
  assert.equal(value(text, 'rigstream_api_http_request_duration_seconds_count{method="GET",route="/api/v1/rigs"}'), 3)
  assert.equal(value(text, 'rigstream_api_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/rigs"}'), 3)
  assert.equal(value(text, 'rigstream_api_ws_clients'), 1)
  assert.equal(value(text, 'rigstream_api_ws_subscriptions'), 1)
  assert.ok(value(text, 'process_resident_memory_bytes')! > 0)
  await ws.close()
  // the gauge follows the sockets
  for (let i = 0; i < 100 && value(await (await fetch(api.url + '/metrics')).text(), 'rigstream_api_ws_clients') !== 0; i++) await new Promise(r => setTimeout(r, 20))
  assert.equal(value(await (await fetch(api.url + '/metrics')).text(), 'rigstream_api_ws_clients'), 0)
})

test('ingest rates, dead letters and pending acks: through the api /metrics (embedded) and a bare listener (rigstream ingest)', { timeout: 120_000 }, async () => {
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())
  const store = await storeForTest()
  cleanups.push(() => store.close())
  const ingest = await startIngest({ mqttUrl: broker.url, username: 'svc:ingest', password: 'x', databaseUrl: store.url, log, clientId: `ing-${randomBytes(4).toString('hex')}` })
  cleanups.push(() => ingest.close())
  const registry = new MetricsRegistry()
  const api = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log, metrics: registry, ingestStats: () => ingest.stats() })
  cleanups.push(() => api.close())

  const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: `pub-${randomBytes(4).toString('hex')}`, clean: true })
  cleanups.push(() => pub.endAsync(true))
  for (let seq = 1; seq <= 3; seq++) await pub.publishAsync(frameTopic({ rig: 'm1' }), Buffer.from(encodeFrame(frameObject({ rig: 'm1', seq }))), { qos: 1 })
  await pub.publishAsync(frameTopic({ rig: 'm1' }), Buffer.from(encodeFrame(frameObject({ rig: 'm1', seq: 2 }))), { qos: 1 })
  await pub.publishAsync(frameTopic({ rig: 'bad' }), Buffer.from([0x0a, 0xff, 0x01]), { qos: 1 })
  const deadline = Date.now() + 60_000
  while (ingest.stats().stored + ingest.stats().duplicatesDropped + ingest.stats().deadLetters < 5 || ingest.stats().pendingAcks > 0) {
    if (Date.now() > deadline) throw new Error(`ingest did not settle: ${JSON.stringify(ingest.stats())}`)
    await new Promise(r => setTimeout(r, 25))
  }

  const text = await (await fetch(api.url + '/metrics')).text()
  assertExposition(text)
  assert.equal(value(text, 'rigstream_ingest_received_total'), 5)
  assert.equal(value(text, 'rigstream_ingest_stored_total'), 3)
  assert.equal(value(text, 'rigstream_ingest_duplicates_dropped_total'), 1)
  assert.equal(value(text, 'rigstream_ingest_dead_letters_total{reason="RS_ERR_DECODE"}'), 1)
  assert.equal(value(text, 'rigstream_ingest_pending_acks'), 0)
  assert.ok(value(text, 'rigstream_ingest_batches_total')! >= 1)
  assert.match(text, /^# TYPE rigstream_ingest_pending_acks gauge$/m)

  // `rigstream ingest` has no HTTP server: the same series on a bare listener
  const own = new MetricsRegistry()
  registerIngestMetrics(own, () => ingest.stats())
  const listener = await serveMetrics(own, { port: 0 })
  cleanups.push(() => listener.close())
  const bare = await fetch(listener.url)
  assert.equal(bare.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8')
  assert.equal(value(await bare.text(), 'rigstream_ingest_stored_total'), 3)
  assert.equal((await fetch(listener.url.replace('/metrics', '/other'))).status, 404)
})

test('rigstream ingest serves its series on RS_INGEST_METRICS_PORT', { timeout: 120_000 }, async () => {
  const broker = await startMosquitto()
  cleanups.push(() => broker.stop())
  const store = await storeForTest()
  cleanups.push(() => store.close())
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'ingest'], {
    env: { ...process.env, DATABASE_URL: store.url, MQTT_URL: broker.url, MQTT_PASSWORD: 'x', RS_INGEST_CLIENT_ID: `ing-${randomBytes(4).toString('hex')}`, RS_INGEST_METRICS_PORT: '0', RS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  cleanups.push(async () => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  let err = ''
  child.stderr.on('data', d => { err += String(d) })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', d => {
      out += String(d)
      const m = /"url":"(http:[^"]+\/metrics)","msg":"metrics listening"/.exec(out)
      if (m) resolve(m[1])
    })
    child.once('exit', code => reject(new Error(`rigstream ingest exited ${code}: ${err}`)))
  })
  const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: `pub-${randomBytes(4).toString('hex')}`, clean: true })
  cleanups.push(() => pub.endAsync(true))
  await pub.publishAsync(frameTopic({ rig: 'c1' }), Buffer.from([0x0a, 0xff, 0x01]), { qos: 1 })
  let text = ''
  for (let i = 0; i < 500 && value(text, 'rigstream_ingest_dead_letters_total{reason="RS_ERR_DECODE"}') !== 1; i++) {
    text = await (await fetch(url)).text()
    await new Promise(r => setTimeout(r, 20))
  }
  assertExposition(text)
  assert.equal(value(text, 'rigstream_ingest_dead_letters_total{reason="RS_ERR_DECODE"}'), 1)
  assert.equal(value(text, 'rigstream_ingest_received_total'), 1)
  assert.match(text, /^# TYPE rigstream_ingest_pending_acks gauge$/m)
  assert.ok(value(text, 'process_cpu_seconds_total')! > 0)
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  assert.equal(code, 0, err)
})

test('registry: label values are escaped, names are checked, counters only go up', () => {
  const reg = new MetricsRegistry()
  const c = reg.counter('t_total', 'a counter\nwith a newline')
  c.inc({ path: 'a"b\\c\nd' }, 2)
  assert.throws(() => c.inc(undefined, -1), /cannot go down/)
  assert.throws(() => reg.gauge('t_total', 'again'), /registered twice/)
  assert.throws(() => reg.gauge('bad-name', 'x'), /not valid/)
  const h = reg.histogram('t_seconds', 'h', [0.1, 1])
  h.observe(0.05)
  h.observe(0.5)
  h.observe(5)
  const text = reg.render()
  assertExposition(text)
  assert.match(text, /^# HELP t_total a counter\\nwith a newline$/m)
  assert.equal(value(text, 't_total{path="a\\"b\\\\c\\nd"}'), 2)
  assert.equal(value(text, 't_seconds_bucket{le="0.1"}'), 1)
  assert.equal(value(text, 't_seconds_bucket{le="1"}'), 2)
  assert.equal(value(text, 't_seconds_bucket{le="+Inf"}'), 3)
  assert.equal(value(text, 't_seconds_sum'), 5.55)
})
