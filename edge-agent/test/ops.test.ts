import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoPath } from '../../common/src/paths.js'
import { DEFAULT_MODEL_DIR } from '../../inference/src/package.js'
import { startAgent } from '../src/agent.js'
import { loadAgentConfig } from '../src/config.js'
import { EdgeDiagnosis } from '../src/diagnosis/service.js'
import { startOpsServer } from '../src/ops/server.js'
import { createUciReplay } from '../src/sources/uci-replay.js'
import { limited, quietLogger, startAedes } from './helpers.js'
import { BUNDLED_VERSION } from '../../tests/support/bundled-model.js'

function tmpFile (name: string, content: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'rs-ops-')), name)
  writeFileSync(p, content)
  return p
}

const base = { broker: 'mqtt://gw.example:1883', tenant: 'acme', rig: 'press-1' }

test('config: model, alerts and ops settings from file, env and flags; defaults keep updates off and the endpoint closed', () => {
  const { publicKey } = generateKeyPairSync('ed25519')
  const pub = tmpFile('model.pub.pem', publicKey.export({ type: 'spki', format: 'pem' }) as string)
  const def = loadAgentConfig({ file: tmpFile('a.json', JSON.stringify(base)), env: {} })
  assert.deepEqual({ ...def.model }, { enabled: true, dir: DEFAULT_MODEL_DIR, backend: 'ts', publicKeyFile: undefined, publicKey: undefined, updateBaseUrl: undefined })
  assert.deepEqual({ ...def.alerts }, { confirmCycles: 2, minProbability: 0.6 })
  assert.deepEqual({ ...def.ops }, { port: undefined, host: '127.0.0.1' })

  const f = tmpFile('a.json', JSON.stringify({ ...base, model: { backend: 'web', publicKey: pub, updateBaseUrl: 'https://api.example/api/v1/models' }, alerts: { confirmCycles: 3 }, ops: { port: 9464 } }))
  const cfg = loadAgentConfig({ file: f, env: { RS_AGENT_ALERT_MIN_PROBABILITY: '0.8', RS_AGENT_OPS_HOST: '0.0.0.0' }, flags: { 'model-backend': 'node' } })
  assert.equal(cfg.model.backend, 'node', 'flag over file')
  assert.equal(cfg.model.publicKey?.asymmetricKeyType, 'ed25519')
  assert.equal(cfg.model.updateBaseUrl, 'https://api.example/api/v1/models')
  assert.deepEqual({ ...cfg.alerts }, { confirmCycles: 3, minProbability: 0.8 })
  assert.deepEqual({ ...cfg.ops }, { port: 9464, host: '0.0.0.0' })
  assert.ok(Object.isFrozen(cfg.model) && Object.isFrozen(cfg.ops) && Object.isFrozen(cfg.alerts))
  assert.equal(loadAgentConfig({ file: f, env: { RS_AGENT_MODEL_ENABLED: 'false' } }).model.enabled, false)
  const sp = loadAgentConfig({ file: tmpFile('s.json', JSON.stringify({ ...base, spool: { fsync: 'interval', maxFrames: 7200 }, publishRate: 50 })), env: { RS_AGENT_SPOOL_MAX_BYTES: '1048576' } })
  assert.deepEqual({ ...sp.spool }, { fsync: 'interval', maxFrames: 7200, maxBytes: 1048576 })
  assert.equal(sp.publishRate, 50)
  assert.deepEqual({ ...def.spool }, { fsync: undefined, maxFrames: undefined, maxBytes: undefined }, 'the agent\'s defaults apply')
})

test('config: bad model, alert and ops settings fail at start with RS_ERR_CONFIG naming the key', () => {
  const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }) as string
  const f = tmpFile('a.json', JSON.stringify(base))
  const cases: Array<[Parameters<typeof loadAgentConfig>[0], RegExp]> = [
    [{ file: f, env: { RS_AGENT_MODEL_BACKEND: 'gpu' } }, /model\.backend \(from RS_AGENT_MODEL_BACKEND\) must be "ts", "auto", "node" or "web"/],
    [{ file: f, env: {}, flags: { 'model-dir': '/nonexistent/pkg' } }, /model\.dir \(from --model-dir\) must be an existing directory/],
    [{ file: f, env: { RS_AGENT_MODEL_PUBLIC_KEY: '/nonexistent/k.pem' } }, /model\.publicKey \(from RS_AGENT_MODEL_PUBLIC_KEY\) must be an existing file/],
    [{ file: f, env: { RS_AGENT_MODEL_PUBLIC_KEY: tmpFile('k.pem', 'not a key') } }, /model\.publicKey \(from RS_AGENT_MODEL_PUBLIC_KEY\): cannot read the public key/],
    [{ file: f, env: { RS_AGENT_MODEL_PUBLIC_KEY: tmpFile('k.pem', x25519) } }, /model\.publicKey .* is a x25519 key, not Ed25519/],
    [{ file: f, env: {}, flags: { 'model-update-url': 'ftp://x/models' } }, /model\.updateBaseUrl \(from --model-update-url\) must be an http/],
    [{ file: tmpFile('a.json', JSON.stringify({ ...base, alerts: { confirmCycles: 0 } })), env: {} }, /alerts\.confirmCycles \(from .*a\.json\) must be in \[1, 1000\]/],
    [{ file: f, env: { RS_AGENT_ALERT_MIN_PROBABILITY: '0' } }, /alerts\.minProbability \(from RS_AGENT_ALERT_MIN_PROBABILITY\) must be in \(0, 1\]/],
    [{ file: f, env: { RS_AGENT_OPS_PORT: '70000' } }, /ops\.port \(from RS_AGENT_OPS_PORT\) must be a port number/],
    [{ file: f, env: { RS_AGENT_SPOOL_FSYNC: 'sometimes' } }, /spool\.fsync \(from RS_AGENT_SPOOL_FSYNC\) must be "always", "interval" or "never"/],
    [{ file: f, env: {}, flags: { 'spool-max-frames': '0' } }, /spool\.maxFrames \(from --spool-max-frames\) must be >= 1/],
    [{ file: f, env: { RS_AGENT_PUBLISH_RATE: '-5' } }, /publishRate \(from RS_AGENT_PUBLISH_RATE\) must be > 0/],
    [{ file: f, env: { RS_AGENT_TIME_URL: 'ntp://pool' } }, /timeUrl \(from RS_AGENT_TIME_URL\) must be an http/],
    [{ file: tmpFile('a.json', JSON.stringify({ ...base, ops: { prot: 1 } })), env: {} }, /ops\.prot \(from .*\) is not a setting/]
  ]
  for (const [opts, re] of cases) assert.throws(() => loadAgentConfig(opts), (err: Error & { code?: string }) => err.code === 'RS_ERR_CONFIG' && re.test(err.message), String(re))
})

test('rigstream agent --config: a bad setting stops the process at start, naming the key', () => {
  const f = tmpFile('agent.json', JSON.stringify({ ...base, model: { backend: 'gpu' } }))
  const r = spawnSync(process.execPath, [repoPath('bin', 'rigstream.js'), 'agent', '--config', f], { encoding: 'utf8', timeout: 30_000 })
  assert.equal(r.status, 1)
  assert.match(r.stderr, /RS_ERR_CONFIG: .*model\.backend \(from .*agent\.json\)/)
})

test('ops endpoint: /healthz, /readyz and Prometheus /metrics over real HTTP reflect the running agent', { timeout: 60_000 }, async t => {
  const log = quietLogger()
  const broker = await startAedes()
  let brokerUp = true
  t.after(async () => { if (brokerUp) await broker.close() })
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-ops-agent-'))
  const ops = await startOpsServer({ host: '127.0.0.1', port: 0, tenant: 'acme', rig: 'ops-1', log })
  t.after(() => ops.close())
  assert.equal((await (await fetch(ops.url + '/healthz')).json() as { status: string }).status, 'starting')
  const edge = await EdgeDiagnosis.start({ tenant: 'acme', rig: 'ops-1', stateDir, log, baseModelDir: DEFAULT_MODEL_DIR })
  const agent = await startAgent({ brokerUrl: broker.url, tenant: 'acme', rig: 'ops-1', source: limited(createUciReplay({ startUs: 1_795_000_000_000_000 }), 120), stateDir, speed: 0, log, extensions: [edge], reconnectPeriodMs: 100, stopTimeoutMs: 200 })
  ops.setAgent(agent, edge)
  t.after(() => agent.stop())
  while (edge.diagnosis.stats().predictions < 2 || agent.stats().acked < 120) await new Promise(r => setTimeout(r, 20))

  const health = await (await fetch(ops.url + '/healthz')).json() as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(health.status, 'ok')
  assert.equal(health.connected, true)
  assert.equal(health.seq, 120)
  assert.deepEqual(health.model, { name: 'uci-hydraulic-gnn', version: BUNDLED_VERSION, backend: 'onnxruntime-node', provider: 'cpu' })
  assert.equal(health.lastPrediction.heads.length, 5)
  assert.equal((await fetch(ops.url + '/readyz')).status, 200)

  const res = await fetch(ops.url + '/metrics')
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  const text = await res.text()
  const metric = (name: string, labels = ''): number => {
    const line = text.split('\n').find(l => l.startsWith(`${name}{tenant="acme",rig="ops-1"${labels}} `))
    assert.ok(line, `${name}${labels} is exposed`)
    return Number(line.split(' ').pop())
  }
  assert.equal(metric('rigstream_agent_connected'), 1)
  assert.equal(metric('rigstream_agent_frames_acked_total'), 120)
  assert.equal(metric('rigstream_agent_seq'), 120)
  assert.equal(metric('rigstream_agent_predictions_total'), 2)
  assert.equal(metric('rigstream_agent_cycles_total'), 2)
  assert.equal(metric('rigstream_agent_model_info', `,model="uci-hydraulic-gnn",version="${BUNDLED_VERSION}",backend="onnxruntime-node",provider="cpu"`), 1)
  assert.ok(metric('process_resident_memory_bytes') > 0)
  assert.equal(metric('rigstream_agent_reconnects_total'), 0)
  assert.ok(Number.isNaN(metric('rigstream_agent_clock_offset_seconds')), 'not measured without timeUrl')
  for (const l of text.split('\n').filter(l => l && !l.startsWith('#'))) assert.match(l, /^[a-z_]+\{[^}]*\} ([0-9.e+-]+|NaN)$/, l)
  assert.equal((await fetch(ops.url + '/nope')).status, 404)
  assert.equal((await fetch(ops.url + '/metrics', { method: 'POST' })).status, 405)

  // the broker goes away: not ready, still alive
  await broker.close()
  brokerUp = false
  while ((await fetch(ops.url + '/readyz')).status !== 503) await new Promise(r => setTimeout(r, 50))
  const h2 = await (await fetch(ops.url + '/healthz')).json() as { status: string, connected: boolean }
  assert.deepEqual([h2.status, h2.connected], ['disconnected', false])
})
