import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { cmdTopic, CommandReply, ModelCommand, Prediction, RigState, rigTopic } from '../../schemas/src/index.js'
import { DEFAULT_MODEL_DIR } from '../../inference/src/package.js'
import { repoPath } from '../../common/src/paths.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { startAgent } from '../src/agent.js'
import { EdgeDiagnosis } from '../src/diagnosis/service.js'
import { ModelManager } from '../src/model-update/manager.js'
import { createUciReplay } from '../src/sources/uci-replay.js'
import { collect, int64, quietLogger } from './helpers.js'
import { keyPair, makePackage, MODEL_NAME, readJson, serveModels, writeJson } from './model-packages.js'
import { BUNDLED_VERSION } from '../../tests/support/bundled-model.js'

const TENANT = 'acme'
const RIG = 'upd-1'

test('model updates over MQTT + HTTP: tampered packages refused, good one swapped in and reported, self-test failure rolled back', { timeout: 180_000 }, async t => {
  const log = quietLogger()
  const signer = keyPair()
  const stranger = keyPair()
  const modelsDir = mkdtempSync(join(tmpdir(), 'rs-models-'))
  const good = await makePackage(modelsDir, '1.1.1', signer.privateKey)
  const goodFixture = readJson(join(good, 'selftest.json'))
  // signed, but by a key the agent does not trust
  await makePackage(modelsDir, '1.1.2', stranger.privateKey)
  // signed, then a manifest field changed
  const tampered = await makePackage(modelsDir, '1.1.3', signer.privateKey)
  const tm = readJson(join(tampered, 'manifest.json'))
  tm.targets[0].labels[0] = 'fine'
  writeJson(join(tampered, 'manifest.json'), tm)
  // signed, then the weights changed: sha256 no longer the signed one
  const badHash = await makePackage(modelsDir, '1.1.4', signer.privateKey)
  const onnx = readFileSync(join(badHash, 'model.onnx'))
  onnx[onnx.length - 10] ^= 0xff
  writeFileSync(join(badHash, 'model.onnx'), onnx)
  // properly signed, but its fixture expects another class: fails the self-test on the device
  await makePackage(modelsDir, '1.1.5', signer.privateKey, dir => {
    const f = structuredClone(goodFixture)
    f.expected[0].classIndex = (f.expected[0].classIndex + 1) % f.expected[0].probs.length
    writeJson(join(dir, 'selftest.json'), f)
  })
  // properly signed, but a package of another model line, for other hardware (a fleet's one
  // signing key may sign several lines): refused before its weights are fetched
  await makePackage(modelsDir, '1.1.7', signer.privateKey, dir => {
    const m = readJson(join(dir, 'manifest.json'))
    m.name = 'press-line-gnn'
    m.profile = 'press-line/v3'
    writeJson(join(dir, 'manifest.json'), m)
  })
  // properly signed, but model.onnx is not a model: fails to load
  await makePackage(modelsDir, '1.1.6', signer.privateKey, dir => {
    writeFileSync(join(dir, 'model.onnx'), Buffer.from('not an onnx graph'))
    writeJson(join(dir, 'selftest.json'), goodFixture)
  })

  const http = await serveModels(modelsDir)
  t.after(() => http.close())
  const mq = await startMosquitto()
  t.after(() => mq.stop())
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-agent-upd-'))
  const edge = await EdgeDiagnosis.start({ tenant: TENANT, rig: RIG, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR, publicKey: signer.publicKey, updateBaseUrl: http.base, alerts: { confirmCycles: 1 } })
  const replies = await collect(mq.url, rigTopic(TENANT, RIG, 'cmd-reply'))
  t.after(() => replies.close())
  const preds = await collect(mq.url, rigTopic(TENANT, RIG, 'predictions'))
  t.after(() => preds.close())
  const agent = await startAgent({ brokerUrl: mq.url, tenant: TENANT, rig: RIG, source: createUciReplay({ startUs: Math.floor(Date.now() / 1000) * 1e6 }), stateDir, speed: 40, log, extensions: [edge] })
  let stopped = false
  t.after(async () => { if (!stopped) await agent.stop() })
  const ctl = await mqtt.connectAsync(mq.url, { protocolVersion: 4, clientId: 'test-ctl', reconnectPeriod: 0 })
  t.after(() => ctl.endAsync(true))

  async function command (cmd: { version: string, url?: string, sha256?: string }): Promise<CommandReply> {
    const n = replies.messages.length
    await ctl.publishAsync(cmdTopic(TENANT, RIG, 'model'), Buffer.from(ModelCommand.encode(cmd).finish()), { qos: 1 })
    await replies.until(m => m.length > n)
    return CommandReply.decode(replies.messages[n].payload)
  }
  /** model version of a prediction made after now (the second one from now: the first may have been under way) */
  async function versionAfter (): Promise<string> {
    const n = preds.messages.length
    await preds.until(m => m.length >= n + 2)
    return Prediction.decode(preds.messages[preds.messages.length - 1].payload).modelVersion
  }

  /** the retained RigState a subscriber gets now */
  async function retainedState (): Promise<{ status: string, modelVersion: string, timeUs: number }> {
    const c = await collect(mq.url, rigTopic(TENANT, RIG, 'state'))
    try {
      await c.until(m => m.length > 0)
      assert.equal(c.messages[0]!.retain, true)
      const s = RigState.decode(c.messages[0]!.payload)
      return { status: RigState.Status[s.status], modelVersion: s.modelVersion, timeUs: int64(s.timeUs) }
    } finally {
      await c.close()
    }
  }
  const states = await collect(mq.url, rigTopic(TENANT, RIG, 'state'))
  t.after(() => states.close())
  /** waits for the next state published after now; returns it */
  async function nextState (): Promise<{ status: string, modelVersion: string }> {
    const n = states.messages.length
    await states.until(m => m.length > n)
    const s = RigState.decode(states.messages[n]!.payload)
    return { status: RigState.Status[s.status], modelVersion: s.modelVersion }
  }

  assert.equal(await versionAfter(), BUNDLED_VERSION, 'starts on the base package')
  const birth = await retainedState()
  assert.deepEqual([birth.status, birth.modelVersion], ['ONLINE', BUNDLED_VERSION], 'the birth state names the active model')
  const refusals: Array<[string, { version: string, url?: string, sha256?: string }, string]> = [
    ['signed by another key', { version: '1.1.2' }, 'RS_ERR_MODEL_SIGNATURE'],
    ['manifest changed after signing', { version: '1.1.3' }, 'RS_ERR_MODEL_SIGNATURE'],
    ['weights changed after signing', { version: '1.1.4' }, 'RS_ERR_MODEL_HASH'],
    ['manifest sha256 differs from the command', { version: '1.1.1', sha256: 'ab'.repeat(32) }, 'RS_ERR_MODEL_HASH'],
    ['no such package', { version: '9.9.9' }, 'RS_ERR_MODEL_COMMAND'],
    ['another model line and rig profile', { version: '1.1.7' }, 'RS_ERR_MODEL_COMMAND'],
    ['fails its self-test', { version: '1.1.5' }, 'RS_ERR_MODEL_SELFTEST'],
    ['does not load', { version: '1.1.6' }, 'RS_ERR_MODEL_LOAD']
  ]
  for (const [why, cmd, code] of refusals) {
    const republished = nextState()
    const r = await command(cmd)
    assert.deepEqual(await republished, { status: 'ONLINE', modelVersion: BUNDLED_VERSION }, `${why}: the state is republished with the running version`)
    assert.equal(r.command, 'model')
    assert.equal(r.ok, false, why)
    assert.ok(r.detail.startsWith(code), `${why}: ${r.detail}`)
    assert.equal(r.activeVersion, BUNDLED_VERSION, `${why}: the running model carries on`)
  }
  const rolledBack = replies.messages.slice(-2).map(m => CommandReply.decode(m.payload).detail)
  for (const d of rolledBack) assert.ok(d.includes(`rolled back to ${BUNDLED_VERSION}`), d)
  assert.equal(await versionAfter(), BUNDLED_VERSION, 'still diagnosing with the running model')
  const versionsDir = join(stateDir, TENANT, RIG, 'models', 'versions')
  assert.deepEqual(readdirSync(versionsDir), [], 'nothing refused is kept')

  // the good one, pinned by the sha256 of its manifest, sent with `rigstream model deploy`
  const sha = createHash('sha256').update(readFileSync(join(good, 'manifest.json'))).digest('hex')
  const before = replies.messages.length
  const { stdout } = await promisify(execFile)(process.execPath, [repoPath('bin', 'rigstream.js'), 'model', 'deploy', '--broker', mq.url, '--tenant', TENANT, '--rig', RIG, '--version', '1.1.1', '--sha256', sha], { timeout: 60_000 })
  const printed = JSON.parse(stdout.trim().split('\n').pop()!) as { ok: boolean, activeVersion: string, detail: string }
  assert.deepEqual([printed.ok, printed.activeVersion], [true, '1.1.1'], printed.detail)
  await replies.until(m => m.length > before)
  const ok = CommandReply.decode(replies.messages[before].payload)
  assert.equal(ok.ok, true, ok.detail)
  assert.equal(ok.activeVersion, '1.1.1')
  assert.equal(await versionAfter(), '1.1.1', 'predictions now come from the new model')
  const updated = await retainedState()
  assert.deepEqual([updated.status, updated.modelVersion], ['ONLINE', '1.1.1'], 'the retained state carries the new version')
  assert.ok(updated.timeUs > birth.timeUs)
  assert.equal(readJson(join(stateDir, TENANT, RIG, 'models', 'active.json')).version, '1.1.1')
  assert.deepEqual(readdirSync(versionsDir), ['1.1.1'])
  assert.equal((await command({ version: '1.1.1', url: `${http.base}/${MODEL_NAME}/1.1.1/` })).activeVersion, '1.1.1', 'the same version again is a no-op')

  // a bad update on top of it rolls back to 1.1.1, not to the base
  const republished = nextState()
  const again = await command({ version: '1.1.5' })
  assert.equal(again.ok, false)
  assert.equal(again.activeVersion, '1.1.1')
  assert.deepEqual(await republished, { status: 'ONLINE', modelVersion: '1.1.1' })
  assert.deepEqual((await retainedState()).modelVersion, '1.1.1', 'after the rollback the retained state carries the version rolled back to')
  assert.equal(await versionAfter(), '1.1.1')
  assert.equal(readdirSync(join(stateDir, TENANT, RIG, 'models')).filter(n => n.startsWith('.incoming')).length, 0)
  assert.deepEqual(edge.models.counters, { updatesOk: 1, updatesFailed: 9, rollbacks: 3 })

  // a deliberate rollback (a command naming the installed base package, its manifest's sha256
  // in upper case as a user may paste it): the retained state goes back to the old version
  const baseSha = createHash('sha256').update(readFileSync(join(DEFAULT_MODEL_DIR, 'manifest.json'))).digest('hex')
  const back = nextState()
  const rolled = await command({ version: BUNDLED_VERSION, sha256: baseSha.toUpperCase() })
  assert.deepEqual([rolled.ok, rolled.activeVersion], [true, BUNDLED_VERSION], rolled.detail)
  assert.deepEqual(await back, { status: 'ONLINE', modelVersion: BUNDLED_VERSION })
  assert.equal((await retainedState()).modelVersion, BUNDLED_VERSION, 'after a rollback the retained state carries the old version')
  assert.equal(await versionAfter(), BUNDLED_VERSION)

  await agent.stop()
  stopped = true
  const offline = await retainedState()
  assert.deepEqual([offline.status, offline.modelVersion], ['OFFLINE', BUNDLED_VERSION], 'the OFFLINE state names the model too')
  // a restart after that rollback stays on the base package (before, it went back to 1.1.1, the
  // version rolled back from, as if the base were a failed load)
  const activeFile = join(stateDir, TENANT, RIG, 'models', 'active.json')
  assert.deepEqual([readJson(activeFile).version, readJson(activeFile).previous], [null, '1.1.1'])
  const m0 = await ModelManager.open({ dir: join(stateDir, TENANT, RIG, 'models'), baseModelDir: DEFAULT_MODEL_DIR, log })
  assert.equal(m0.version(), BUNDLED_VERSION, 'a rollback survives a restart')
  assert.equal(m0.counters.rollbacks, 0)
  await m0.close()
  assert.deepEqual([readJson(activeFile).version, readJson(activeFile).previous], [null, '1.1.1'])
  // at start, a stored active version that no longer loads falls back (here to the base package)
  const stored = join(versionsDir, '1.1.1', 'model.onnx')
  writeFileSync(stored, Buffer.from('corrupted on disk'))
  writeJson(activeFile, { version: '1.1.1', previous: null })
  const m = await ModelManager.open({ dir: join(stateDir, TENANT, RIG, 'models'), baseModelDir: DEFAULT_MODEL_DIR, log })
  assert.equal(m.version(), BUNDLED_VERSION)
  assert.equal(m.counters.rollbacks, 1)
  assert.equal(readJson(activeFile).version, null)
  await m.close()
  // an agent restarted on that state dir (TypeScript backend, as the agent runs by default)
  // comes back on the base package and its birth says so
  writeFileSync(stored, Buffer.from('corrupted on disk'))
  writeJson(join(stateDir, TENANT, RIG, 'models', 'active.json'), { version: '1.1.1', previous: null })
  const edge2 = await EdgeDiagnosis.start({ tenant: TENANT, rig: RIG, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR, backend: 'ts', publicKey: signer.publicKey, updateBaseUrl: http.base })
  assert.equal(edge2.models.runtime().backend, 'ts')
  assert.equal(edge2.models.counters.rollbacks, 1)
  const birthAgain = nextState()
  const agent2 = await startAgent({ brokerUrl: mq.url, tenant: TENANT, rig: RIG, source: createUciReplay({ startUs: Math.floor(Date.now() / 1000) * 1e6 }), stateDir, speed: 40, log, extensions: [edge2] })
  let stopped2 = false
  t.after(async () => { if (!stopped2) await agent2.stop() })
  assert.deepEqual(await birthAgain, { status: 'ONLINE', modelVersion: BUNDLED_VERSION })
  assert.equal((await retainedState()).modelVersion, BUNDLED_VERSION, 'after rolling back at start the retained state carries the old version')
  await agent2.stop()
  stopped2 = true
  assert.ok(existsSync(join(stateDir, TENANT, RIG, 'outbox')))
})

test('cloud-api model route: serves only the files a package manifest names', { timeout: 30_000 }, async t => {
  const modelsDir = mkdtempSync(join(tmpdir(), 'rs-models-route-'))
  const dir = await makePackage(modelsDir, '2.0.0', keyPair().privateKey)
  writeFileSync(join(dir, 'notes.txt'), 'not part of the package')
  const http = await serveModels(modelsDir)
  t.after(() => http.close())
  const base = `${http.base}/${MODEL_NAME}/2.0.0`
  const manifest = await fetch(`${base}/manifest.json`)
  assert.equal(manifest.status, 200)
  assert.deepEqual(Buffer.from(await manifest.arrayBuffer()), readFileSync(join(dir, 'manifest.json')))
  const onnx = await fetch(`${base}/model.onnx`)
  assert.equal(onnx.headers.get('content-type'), 'application/octet-stream')
  assert.deepEqual(Buffer.from(await onnx.arrayBuffer()), readFileSync(join(dir, 'model.onnx')))
  assert.equal((await fetch(`${base}/selftest.json`)).status, 200)
  const unlisted = await fetch(`${base}/notes.txt`)
  assert.equal(unlisted.status, 404)
  assert.equal((await unlisted.json() as { code: string }).code, 'RS_ERR_NOT_FOUND')
  assert.equal((await fetch(`${http.base}/${MODEL_NAME}/9.9.9/manifest.json`)).status, 404)
  assert.equal((await fetch(`${http.base}/${MODEL_NAME}/..%2F..%2Fetc/manifest.json`)).status, 400)
})
