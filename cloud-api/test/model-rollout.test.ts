// The model registry and rollouts end to end, all real: PostgreSQL, the aedes broker with device
// and service credentials, cloud-api over HTTP, and three edge agents (startAgent with its
// EdgeDiagnosis: ModelManager, signature check, self-test) that download from the api.
// A signed package is uploaded over REST, rolled out to a rig group of 2 of 3 rigs, both report it active, a
// second version is rolled out and rolled back; tampered uploads, other tenants and lesser roles
// are refused; a package that fails its self-test on the device is reported rolled-back.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { createRootLogger } from '../../common/src/logger.js'
import { LiveBus } from '../../common/src/live.js'
import { PgCredentialStore, provisionService } from '../../broker/src/credentials.js'
import { startBroker } from '../../broker/src/server.js'
import { DEFAULT_MODEL_DIR } from '../../inference/src/package.js'
import { startAgent, type Agent } from '../../edge-agent/src/agent.js'
import { EdgeDiagnosis } from '../../edge-agent/src/diagnosis/service.js'
import { createUciReplay } from '../../edge-agent/src/sources/uci-replay.js'
import { keyPair, makePackage, MODEL_NAME, readJson, writeJson } from '../../edge-agent/test/model-packages.js'
import { until } from '../../tests/support/agent-runner.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { collect } from '../../edge-agent/test/helpers.js'
import { repoPath } from '../../common/src/paths.js'
import { ModelCommand } from '../../schemas/src/index.js'
import { frameBatch } from './support/frames.js'
import { AuthStore } from '../src/auth/store.js'
import { startApi } from '../src/server.js'
import { startModelCommands } from '../src/models/commands.js'
import { MAX_UPLOAD_BYTES } from '../src/http/routes/models.js'
import { storeForTest } from './support/store.js'
import { BUNDLED_VERSION } from '../../tests/support/bundled-model.js'

const log = createRootLogger({ level: process.env.RS_LOG_LEVEL ?? 'silent' })
const PASSWORD = 'correct horse battery'

interface Res { status: number, body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

function uploadBody (dir: string): { manifest: string, model: string, selfTest: string } {
  return {
    manifest: readFileSync(join(dir, 'manifest.json'), 'utf8'),
    model: readFileSync(join(dir, 'model.onnx')).toString('base64'),
    selfTest: readFileSync(join(dir, 'selftest.json')).toString('base64')
  }
}

test('models over REST: upload a signed package, roll it out to a group of 2 of 3 rigs, roll back; refusals', { timeout: 300_000 }, async t => {
  const cleanups: Array<() => Promise<unknown>> = []
  t.after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

  // --- packages: signed by the fleet key, by a stranger, and tampered after signing
  const signer = keyPair()
  const stranger = keyPair()
  const pkgDir = mkdtempSync(join(tmpdir(), 'rs-rollout-pkgs-'))
  const v110 = await makePackage(pkgDir, '1.1.0', signer.privateKey)
  const v120 = await makePackage(pkgDir, '1.2.0', signer.privateKey)
  const fixture = readJson(join(v110, 'selftest.json'))
  // signed, but its fixture expects another class: passes every upload check, fails on the device
  const v130 = await makePackage(pkgDir, '1.3.0', signer.privateKey, dir => {
    const f = structuredClone(fixture)
    f.expected[0].classIndex = (f.expected[0].classIndex + 1) % f.expected[0].probs.length
    writeJson(join(dir, 'selftest.json'), f)
  })
  const foreign = await makePackage(pkgDir, '2.0.0', stranger.privateKey)

  // --- database, broker with credentials, api with auth and the model commands
  const store = await storeForTest()
  cleanups.push(() => store.close())
  const pool = new pg.Pool({ connectionString: store.url, max: 6 })
  cleanups.push(() => pool.end())
  const credentials = new PgCredentialStore(pool)
  await credentials.migrate()
  const broker = await startBroker({ host: '127.0.0.1', port: 0, credentials, log })
  cleanups.push(() => broker.close())
  const svc = await provisionService(credentials, 'api')
  const commands = await startModelCommands({ url: broker.url, username: svc.username, password: svc.password, clientId: 'rs-api-commands-test', log })
  cleanups.push(() => commands.close())
  const api = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log, auth: { pool, jwtSecret: randomBytes(32), credentials, rateLimit: false }, models: { commands, publicKey: signer.publicKey } })
  cleanups.push(() => api.close())

  const auth = new AuthStore(pool)
  await auth.createTenant('acme', 'Acme')
  await auth.createTenant('other', 'Other')
  const users: Array<[string, string | null, 'viewer' | 'operator' | 'admin']> = [['root', null, 'admin'], ['acme-admin', 'acme', 'admin'], ['acme-op', 'acme', 'operator'], ['acme-viewer', 'acme', 'viewer'], ['other-admin', 'other', 'admin']]
  const tokens: Record<string, string> = {}
  for (const [username, tenant, role] of users) {
    await auth.createUser({ username, tenant, role, password: PASSWORD })
    const r = await fetch(api.url + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
    tokens[username] = ((await r.json()) as { token: string }).token
  }
  async function call (who: string, method: string, path: string, body?: unknown): Promise<Res> {
    const r = await fetch(api.url + path, { method, headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await r.text()
    return { status: r.status, body: text.length > 0 && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
  }

  // --- three rigs of acme, provisioned over REST; each runs a real agent with diagnosis
  const rigs = ['press-1', 'press-2', 'press-3']
  const edges = new Map<string, EdgeDiagnosis>()
  for (const rig of rigs) {
    const dev = await call('acme-admin', 'POST', `/api/v1/rigs/acme/${rig}/device`, {})
    assert.equal(dev.status, 201, JSON.stringify(dev.body))
    const stateDir = mkdtempSync(join(tmpdir(), `rs-rollout-${rig}-`))
    const edge = await EdgeDiagnosis.start({ tenant: 'acme', rig, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR, publicKey: signer.publicKey })
    // speed 1: one window a second, no model cycle completes during the test (saves the 2 cores)
    const agent: Agent = await startAgent({ brokerUrl: broker.url, tenant: 'acme', rig, username: dev.body.username, password: dev.body.password, source: createUciReplay({ startUs: Math.floor(Date.now() / 1000) * 1e6 }), stateDir, speed: 1, log, extensions: [edge] })
    cleanups.push(() => agent.stop())
    edges.set(rig, edge)
  }
  for (const rig of rigs) assert.equal(edges.get(rig)!.models.version(), BUNDLED_VERSION, 'every agent starts on the bundled package')

  // --- the registry
  const list0 = await call('acme-viewer', 'GET', '/api/v1/models')
  assert.equal(list0.status, 200)
  const bundled = list0.body.models.find((m: any) => m.version === BUNDLED_VERSION)
  assert.equal(bundled.name, MODEL_NAME)
  assert.equal(bundled.source, 'bundled')
  assert.equal(bundled.signed, false)
  assert.equal(bundled.uploadedBy, null)
  assert.equal(bundled.sha256, createHash('sha256').update(readFileSync(join(DEFAULT_MODEL_DIR, 'manifest.json'))).digest('hex'))

  assert.equal((await call('acme-viewer', 'POST', '/api/v1/models', uploadBody(v110))).status, 403, 'a viewer may not upload')
  assert.equal((await call('acme-op', 'POST', '/api/v1/models', uploadBody(v110))).status, 403, 'an operator may not upload')
  const asTenantAdmin = await call('acme-admin', 'POST', '/api/v1/models', uploadBody(v110))
  assert.deepEqual([asTenantAdmin.status, asTenantAdmin.body.code], [403, 'RS_ERR_FORBIDDEN'], 'the registry is shared by every tenant: a tenant\'s admin may not publish to it')
  const up = await call('root', 'POST', '/api/v1/models', uploadBody(v110))
  assert.equal(up.status, 201, JSON.stringify(up.body))
  assert.equal(up.body.version, '1.1.0')
  assert.equal(up.body.sha256, createHash('sha256').update(readFileSync(join(v110, 'manifest.json'))).digest('hex'))
  assert.equal(up.body.modelSha256, readJson(join(v110, 'manifest.json')).model.sha256)
  assert.deepEqual([up.body.signed, up.body.signatureVerified, up.body.selfTest, up.body.source, up.body.uploadedBy], [true, true, true, 'uploaded', 'root'])
  assert.equal(up.body.sizeBytes, ['manifest.json', 'model.onnx', 'selftest.json'].reduce((n, f) => n + readFileSync(join(v110, f)).byteLength, 0))
  assert.equal((await call('root', 'POST', '/api/v1/models', uploadBody(v120))).status, 201)
  assert.equal((await call('root', 'POST', '/api/v1/models', uploadBody(v130))).status, 201)

  // refusals, each with its own code, none stored
  const again = await call('root', 'POST', '/api/v1/models', uploadBody(v110))
  assert.deepEqual([again.status, again.body.code], [409, 'RS_ERR_MODEL_EXISTS'])
  const manifest110 = readJson(join(v110, 'manifest.json'))
  const refusals: Array<[string, unknown, number, string]> = [
    ['signed by another key', uploadBody(foreign), 400, 'RS_ERR_MODEL_SIGNATURE'],
    ['manifest edited after signing', { ...uploadBody(v110), manifest: JSON.stringify({ ...manifest110, version: '1.1.1' }) }, 400, 'RS_ERR_MODEL_SIGNATURE'],
    ['unsigned', { ...uploadBody(v110), manifest: JSON.stringify({ ...manifest110, version: '1.1.2', signature: null }) }, 400, 'RS_ERR_MODEL_SIGNATURE'],
    ['weights edited after signing', (() => { const b = uploadBody(v110); const m = Buffer.from(b.model, 'base64'); m[m.length - 10] ^= 0xff; return { ...b, manifest: JSON.stringify({ ...manifest110, version: '1.1.3' }), model: m.toString('base64') } })(), 400, 'RS_ERR_MODEL_HASH'],
    ['self-test fixture edited', { ...uploadBody(v110), manifest: JSON.stringify({ ...manifest110, version: '1.1.4' }), selfTest: Buffer.from('{}').toString('base64') }, 400, 'RS_ERR_MODEL_HASH'],
    ['manifest not JSON', { ...uploadBody(v110), manifest: '{"name": "x", ' }, 400, 'RS_ERR_MODEL_MANIFEST'],
    ['manifest lacks fields', { ...uploadBody(v110), manifest: JSON.stringify({ name: MODEL_NAME, version: '1.1.5', model: { file: 'model.onnx' } }) }, 400, 'RS_ERR_MODEL_MANIFEST'],
    ['version with a slash', { ...uploadBody(v110), manifest: JSON.stringify({ ...manifest110, version: '../1' }) }, 400, 'RS_ERR_MODEL_MANIFEST'],
    ['the bundled version', { ...uploadBody(v110), manifest: JSON.stringify({ ...manifest110, version: BUNDLED_VERSION }) }, 409, 'RS_ERR_MODEL_EXISTS'],
    ['model not base64', { ...uploadBody(v110), manifest: JSON.stringify({ ...manifest110, version: '1.1.6' }), model: 'not base64!' }, 400, 'RS_ERR_BAD_REQUEST']
  ]
  for (const [why, body, status, code] of refusals) {
    const r = await call('root', 'POST', '/api/v1/models', body)
    assert.deepEqual([r.status, r.body.code], [status, code], `${why}: ${JSON.stringify(r.body)}`)
  }
  // beyond the body limit: 413 with its own code, from the declared length alone
  const tooLarge = await new Promise<Res>((resolve, reject) => {
    const u = new URL(api.url + '/api/v1/models')
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { authorization: `Bearer ${tokens.root}`, 'content-type': 'application/json', 'content-length': String(MAX_UPLOAD_BYTES + 1) } }, res => {
      let text = ''
      res.on('data', d => { text += String(d) })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    req.write('{"manifest":"')
  })
  assert.deepEqual([tooLarge.status, tooLarge.body.code], [413, 'RS_ERR_MODEL_TOO_LARGE'], JSON.stringify(tooLarge.body))
  const list1 = (await call('acme-viewer', 'GET', '/api/v1/models')).body.models
  assert.deepEqual(list1.map((m: any) => m.version).sort(), [BUNDLED_VERSION, '1.1.0', '1.2.0', '1.3.0'], 'nothing refused was stored')
  // the agents' file route serves the uploaded package byte for byte, without a token
  const served = Buffer.from(await (await fetch(`${api.url}/api/v1/models/${MODEL_NAME}/1.1.0/model.onnx`)).arrayBuffer())
  assert.ok(served.equals(readFileSync(join(v110, 'model.onnx'))))
  assert.equal((await fetch(`${api.url}/api/v1/models/${MODEL_NAME}/1.1.0/other.bin`)).status, 404)

  // --- rollouts: only an admin of that tenant
  const group = { name: MODEL_NAME, version: '1.1.0', rigs: ['press-1', 'press-2'] }
  for (const who of ['acme-viewer', 'acme-op']) {
    const r = await call(who, 'POST', '/api/v1/tenants/acme/rollouts', group)
    assert.deepEqual([r.status, r.body.code], [403, 'RS_ERR_FORBIDDEN'], who)
  }
  const cross = await call('other-admin', 'POST', '/api/v1/tenants/acme/rollouts', group)
  assert.deepEqual([cross.status, cross.body.code], [403, 'RS_ERR_FORBIDDEN'])
  const crossRig = await call('other-admin', 'POST', '/api/v1/tenants/other/rollouts', group)
  assert.deepEqual([crossRig.status, crossRig.body.code], [404, 'RS_ERR_NOT_FOUND'], "acme's rigs are not in tenant other")
  assert.match(crossRig.body.message, /press-1, press-2/)
  const noPkg = await call('acme-admin', 'POST', '/api/v1/tenants/acme/rollouts', { ...group, version: '9.9.9' })
  assert.deepEqual([noPkg.status, noPkg.body.code], [404, 'RS_ERR_NOT_FOUND'])

  async function settled (id: number): Promise<any> {
    let last: any
    await until(async () => {
      last = (await call('acme-admin', 'GET', `/api/v1/tenants/acme/rollouts/${id}`)).body
      return last.counts.pending === 0
    }, `rollout ${id} to settle`, 120_000)
    return last
  }

  // the group: a named rig group of acme, set by its admin
  assert.equal((await call('acme-op', 'PUT', '/api/v1/tenants/acme/rig-groups/line-a', { rigs: ['press-1', 'press-2'] })).status, 403)
  assert.equal((await call('other-admin', 'PUT', '/api/v1/tenants/acme/rig-groups/line-a', { rigs: ['press-1', 'press-2'] })).status, 403)
  const ghost = await call('acme-admin', 'PUT', '/api/v1/tenants/acme/rig-groups/line-a', { rigs: ['press-1', 'press-9'] })
  assert.deepEqual([ghost.status, ghost.body.code], [404, 'RS_ERR_NOT_FOUND'])
  assert.match(ghost.body.message, /press-9/)
  assert.equal((await call('acme-admin', 'PUT', '/api/v1/tenants/acme/rig-groups/line-a', { rigs: ['press-2', 'press-1', 'press-3'] })).status, 200)
  const setGroup = await call('acme-admin', 'PUT', '/api/v1/tenants/acme/rig-groups/line-a', { rigs: ['press-2', 'press-1'] })
  assert.deepEqual(setGroup.body, { name: 'line-a', rigs: ['press-1', 'press-2'] }, 'set replaces the members')
  assert.deepEqual((await call('acme-viewer', 'GET', '/api/v1/tenants/acme/rig-groups')).body.groups, [{ name: 'line-a', rigs: ['press-1', 'press-2'] }])
  const both = await call('acme-admin', 'POST', '/api/v1/tenants/acme/rollouts', { ...group, group: 'line-a' })
  assert.deepEqual([both.status, both.body.code], [400, 'RS_ERR_BAD_REQUEST'], 'rigs or group, not both')
  const noGroup = await call('acme-admin', 'POST', '/api/v1/tenants/acme/rollouts', { name: MODEL_NAME, version: '1.1.0', group: 'line-b' })
  assert.deepEqual([noGroup.status, noGroup.body.code], [404, 'RS_ERR_NOT_FOUND'])

  const first = await call('acme-admin', 'POST', '/api/v1/tenants/acme/rollouts', { name: MODEL_NAME, version: '1.1.0', group: 'line-a' })
  assert.equal(first.status, 201, JSON.stringify(first.body))
  assert.equal(first.body.kind, 'rollout')
  assert.equal(first.body.group, 'line-a')
  assert.deepEqual(first.body.rigs.map((r: any) => r.rig), ['press-1', 'press-2'])
  const r1 = await settled(first.body.id)
  for (const rig of r1.rigs) {
    assert.equal(rig.status, 'active', `${rig.rig}: ${rig.detail}`)
    assert.equal(rig.activeVersion, '1.1.0')
    assert.equal(rig.previousVersion, BUNDLED_VERSION, 'taken from the agent\'s reply')
  }
  assert.equal(edges.get('press-1')!.models.version(), '1.1.0')
  assert.equal(edges.get('press-2')!.models.version(), '1.1.0')
  assert.equal(edges.get('press-3')!.models.version(), BUNDLED_VERSION, 'the rig outside the group is untouched')
  assert.equal(edges.get('press-3')!.commands.last, null, 'and got no command')
  // another tenant's admin cannot see it, not even by id in its own tenant
  assert.equal((await call('other-admin', 'GET', '/api/v1/tenants/acme/rollouts')).status, 403)
  assert.equal((await call('other-admin', 'GET', `/api/v1/tenants/other/rollouts/${first.body.id}`)).status, 404)
  // an id past bigint is a bad request, not a database error to retry
  for (const [method, path] of [['GET', '/api/v1/tenants/acme/rollouts/99999999999999999999'], ['GET', '/api/v1/tenants/acme/rollouts/1e30'], ['POST', '/api/v1/tenants/acme/rollouts/99999999999999999999/rollback']] as const) {
    const r = await call('acme-admin', method, path)
    assert.deepEqual([r.status, r.body.code], [400, 'RS_ERR_BAD_REQUEST'], path)
  }
  assert.deepEqual((await call('other-admin', 'GET', '/api/v1/tenants/other/rollouts')).body.rollouts, [])
  assert.equal((await call('acme-viewer', 'GET', '/api/v1/tenants/acme/rollouts')).status, 403)

  const second = await call('acme-admin', 'POST', '/api/v1/tenants/acme/rollouts', { ...group, version: '1.2.0' })
  assert.equal(second.status, 201)
  assert.equal(second.body.group, null, 'a list of rigs')
  const r2 = await settled(second.body.id)
  assert.deepEqual(r2.rigs.map((r: any) => [r.rig, r.status, r.previousVersion, r.activeVersion]), [['press-1', 'active', '1.1.0', '1.2.0'], ['press-2', 'active', '1.1.0', '1.2.0']])
  const versions = (await call('acme-viewer', 'GET', '/api/v1/tenants/acme/model-versions')).body.rigs
  assert.deepEqual(versions.map((v: any) => [v.rig, v.version]), [['press-1', '1.2.0'], ['press-2', '1.2.0'], ['press-3', null]])

  // --- roll back the second rollout: each rig goes back to the version it ran before (1.1.0)
  assert.equal((await call('acme-op', 'POST', `/api/v1/tenants/acme/rollouts/${second.body.id}/rollback`)).status, 403)
  assert.equal((await call('other-admin', 'POST', `/api/v1/tenants/acme/rollouts/${second.body.id}/rollback`)).status, 403)
  const back = await call('acme-admin', 'POST', `/api/v1/tenants/acme/rollouts/${second.body.id}/rollback`)
  assert.equal(back.status, 201, JSON.stringify(back.body))
  assert.deepEqual([back.body.kind, back.body.rollbackOf], ['rollback', second.body.id])
  const rb = await settled(back.body.id)
  assert.deepEqual(rb.rigs.map((r: any) => [r.rig, r.targetVersion, r.status, r.activeVersion]), [['press-1', '1.1.0', 'active', '1.1.0'], ['press-2', '1.1.0', 'active', '1.1.0']])
  assert.equal(edges.get('press-1')!.models.version(), '1.1.0')
  assert.equal(edges.get('press-2')!.models.version(), '1.1.0')
  assert.equal(edges.get('press-3')!.models.version(), BUNDLED_VERSION)
  assert.equal((await call('acme-admin', 'GET', `/api/v1/tenants/acme/rollouts/${second.body.id}`)).body.rolledBackBy, back.body.id)
  const twice = await call('acme-admin', 'POST', `/api/v1/tenants/acme/rollouts/${second.body.id}/rollback`)
  assert.deepEqual([twice.status, twice.body.code], [409, 'RS_ERR_CONFLICT'])

  // --- a package that fails its self-test on the device: the agent keeps its model, we say so
  const bad = await call('acme-admin', 'POST', '/api/v1/tenants/acme/rollouts', { name: MODEL_NAME, version: '1.3.0', rigs: ['press-3'] })
  assert.equal(bad.status, 201)
  const r3 = await settled(bad.body.id)
  assert.equal(r3.rigs[0].status, 'rolled-back')
  assert.match(r3.rigs[0].detail, /^RS_ERR_MODEL_SELFTEST/)
  assert.equal(r3.rigs[0].activeVersion, BUNDLED_VERSION)
  assert.equal(edges.get('press-3')!.models.version(), BUNDLED_VERSION)

  // --- rolling back the first rollout asks for the bundled package: unsigned, but installed with the
  // agents, which switch back to it without a download (edge-agent/src/model-update/manager.ts)
  const toBase = await call('acme-admin', 'POST', `/api/v1/tenants/acme/rollouts/${first.body.id}/rollback`)
  assert.equal(toBase.status, 201)
  const rbase = await settled(toBase.body.id)
  for (const rig of rbase.rigs) {
    assert.deepEqual([rig.targetVersion, rig.status, rig.activeVersion], [BUNDLED_VERSION, 'active', BUNDLED_VERSION], rig.detail)
  }
  assert.equal(edges.get('press-1')!.models.version(), BUNDLED_VERSION)
  assert.equal(edges.get('press-2')!.models.version(), BUNDLED_VERSION)

  const all = (await call('acme-admin', 'GET', '/api/v1/tenants/acme/rollouts')).body.rollouts
  assert.deepEqual(all.map((r: any) => r.id), [toBase.body.id, bad.body.id, back.body.id, second.body.id, first.body.id], 'newest first')

  // --- audited, and the chain verifies
  const audit = (await call('root', 'GET', '/api/v1/audit?limit=1000')).body.entries
  const actions = audit.map((e: any) => `${e.action} ${e.target} ${e.actor}`)
  for (const want of [`model.upload model:${MODEL_NAME}@1.1.0 root`, `model.upload model:${MODEL_NAME}@1.3.0 root`, `model.rollout rollout:${first.body.id} acme-admin`, `model.rollback rollout:${second.body.id} acme-admin`, `model.rollback rollout:${first.body.id} acme-admin`]) {
    assert.ok(actions.includes(want), `${want} in ${actions.join('; ')}`)
  }
  assert.equal(actions.filter((a: string) => a.startsWith('model.upload')).length, 3, 'refused uploads are not audited as uploads')
  const acmeAudit = (await call('acme-admin', 'GET', '/api/v1/audit?limit=1000')).body.entries.map((e: any) => `${e.action} ${e.target}`)
  assert.ok(acmeAudit.includes(`model.rollout rollout:${first.body.id}`), "the tenant's own rollouts are in its log")
  assert.ok(!acmeAudit.some((a: string) => a.startsWith('model.upload')), "the platform's uploads are not in a tenant's log")
  const verify = await call('root', 'GET', '/api/v1/audit/verify')
  assert.equal(verify.body.ok, true)
})

test('rollouts without MQTT answer 503 with their own code; the registry still lists', { timeout: 60_000 }, async t => {
  const store = await storeForTest()
  t.after(() => store.close())
  const pool = new pg.Pool({ connectionString: store.url, max: 2 })
  t.after(() => pool.end())
  await pool.query("INSERT INTO rigs (tenant, rig, profile) VALUES ('acme', 'r1', 'uci-hydraulic/v1')")
  const api = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log, models: { pool } })
  t.after(() => api.close())
  const list = await (await fetch(api.url + '/api/v1/models')).json() as { models: Array<{ version: string }> }
  assert.ok(list.models.some(m => m.version === BUNDLED_VERSION))
  const r = await fetch(api.url + '/api/v1/tenants/acme/rollouts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: MODEL_NAME, version: BUNDLED_VERSION, rigs: ['r1'] }) })
  assert.equal(r.status, 503)
  assert.equal(((await r.json()) as { code: string }).code, 'RS_ERR_COMMANDS_UNAVAILABLE')
})

test('rigstream api: RS_MODEL_PUBLIC_KEY checks uploads, MQTT_URL carries the model command with RS_PUBLIC_URL in it', { timeout: 180_000 }, async t => {
  const signer = keyPair()
  const pkgDir = mkdtempSync(join(tmpdir(), 'rs-api-pkgs-'))
  const good = await makePackage(pkgDir, '1.1.0', signer.privateKey)
  const foreign = await makePackage(pkgDir, '1.2.0', keyPair().privateKey)
  const keyFile = join(pkgDir, 'fleet.pub.pem')
  writeFileSync(keyFile, signer.publicKey.export({ type: 'spki', format: 'pem' }))
  const store = await storeForTest()
  t.after(() => store.close())
  await store.insert([frameBatch('acme', 'r1', 1, { windowStartUs: (Math.floor(Date.now() / 1000) - 10) * 1_000_000 })])
  const mq = await startMosquitto()
  t.after(() => mq.stop())
  const commandsSeen = await collect(mq.url, 'rs/v1/acme/r1/cmd/model')
  t.after(() => commandsSeen.close())
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'api', '--port', '0'], {
    env: { ...process.env, DATABASE_URL: store.url, MQTT_URL: mq.url, RS_JWT_SECRET: randomBytes(32).toString('base64'), RS_ADMIN_USER: 'platform', RS_MODEL_PUBLIC_KEY: keyFile, RS_PUBLIC_URL: 'https://models.example.com/', RS_COMMANDS_CLIENT_ID: 'rs-api-test', RS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  child.stderr.on('data', d => { out += String(d) })
  const { base, password } = await new Promise<{ base: string, password: string }>((resolve, reject) => {
    child.stdout.on('data', d => {
      out += String(d)
      const url = /dashboard at (http:\/\/\S+)\//.exec(out)
      const pw = /created platform admin platform with password (\S+) \(shown once\)/.exec(out)
      if (url && pw) resolve({ base: url[1], password: pw[1] })
    })
    child.once('exit', code => reject(new Error(`rigstream api exited ${code}: ${out}`)))
  })
  const { token } = await (await fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'platform', password }) })).json() as { token: string }
  const post = async (path: string, body: unknown): Promise<Res> => {
    const r = await fetch(base + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return { status: r.status, body: await r.json() }
  }
  const refused = await post('/api/v1/models', uploadBody(foreign))
  assert.deepEqual([refused.status, refused.body.code], [400, 'RS_ERR_MODEL_SIGNATURE'])
  const up = await post('/api/v1/models', uploadBody(good))
  assert.equal(up.status, 201, JSON.stringify(up.body))
  assert.equal(up.body.signatureVerified, true)
  const r = await post('/api/v1/tenants/acme/rollouts', { name: MODEL_NAME, version: '1.1.0', rigs: ['r1'] })
  assert.equal(r.status, 201, JSON.stringify(r.body))
  assert.equal(r.body.rigs[0].status, 'pending', 'no agent runs here: nothing replies')
  await commandsSeen.until(m => m.length >= 1)
  const cmd = ModelCommand.decode(commandsSeen.messages[0].payload)
  assert.deepEqual({ ...cmd }, { version: '1.1.0', url: `https://models.example.com/api/v1/models/${MODEL_NAME}/1.1.0/`, sha256: up.body.sha256 })
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  assert.equal(code, 0, out)
})
