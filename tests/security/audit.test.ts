// The audit log: administrative actions made over the API are chained; `rigstream audit verify`
// (the real command, in its own process) accepts the chain and names the first row of a tampered one.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import pg from 'pg'
import { repoPath } from '../../common/src/paths.js'
import { verifyAuditChain, GENESIS_HASH } from '../../cloud-api/src/auth/audit.js'
import { startSecureApi, client, type SecureApi } from './support.js'

let s: SecureApi
let http: ReturnType<typeof client>

function auditVerify (databaseUrl: string): Promise<{ code: number, stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'audit', 'verify'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', d => { stdout += String(d) })
    p.stderr.on('data', d => { stderr += String(d) })
    p.once('error', reject)
    p.once('exit', code => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/** the table owner's way around the append-only trigger: what an attacker with database access does */
async function tamper (sql: string, params: unknown[] = []): Promise<void> {
  const c = new pg.Client({ connectionString: s.store.url })
  await c.connect()
  try {
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update')
    await c.query(sql, params)
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update')
  } finally { await c.end() }
}

before(async () => {
  s = await startSecureApi()
  http = client(s.api.url)
  const root = await http.login(s.rootUser, s.rootPassword)
  assert.equal((await http.post('/api/v1/tenants', { id: 'acme' }, root)).status, 201)
  assert.equal((await http.post('/api/v1/tenants/acme/users', { username: 'boss', password: 'a long enough password', role: 'admin' }, root)).status, 201)
  const boss = await http.login('boss', 'a long enough password')
  assert.equal((await http.post('/api/v1/tenants/acme/users', { username: 'eve', password: 'a long enough password', role: 'viewer' }, boss)).status, 201)
  assert.equal((await http.call('PATCH', '/api/v1/tenants/acme/users/eve', boss, { role: 'operator' })).status, 200)
  assert.equal((await http.post('/api/v1/rigs/acme/r1/device', {}, boss)).status, 201)
  // a refused action leaves no entry
  assert.equal((await http.post('/api/v1/tenants/acme/users', { username: 'eve', password: 'a long enough password', role: 'viewer' }, boss)).status, 409)
})
after(async () => { await s.close() })

test('administrative actions are recorded in order, chained, and readable by admins', { timeout: 30_000 }, async () => {
  const root = await http.login(s.rootUser, s.rootPassword)
  const all = await http.get('/api/v1/audit', root)
  assert.equal(all.status, 200)
  const entries = [...all.body.entries].reverse()
  assert.deepEqual(entries.map((e: any) => `${e.actor} ${e.action} ${e.target}`), [
    `bootstrap user.create user:${s.rootUser}`,
    `${s.rootUser} tenant.create tenant:acme`,
    `${s.rootUser} user.create user:boss`,
    'boss user.create user:eve',
    'boss user.update user:eve',
    'boss device.provision device:acme/r1'
  ])
  assert.equal(entries[0].prevHash, GENESIS_HASH)
  for (let i = 1; i < entries.length; i++) assert.equal(entries[i].prevHash, entries[i - 1].hash)
  assert.deepEqual(entries[4].detail, { role: 'operator' })
  // a tenant admin sees its tenant's entries only; a viewer none
  const boss = await http.login('boss', 'a long enough password')
  const mine = await http.get('/api/v1/audit', boss)
  assert.ok(mine.body.entries.every((e: any) => e.tenant === 'acme'))
  assert.equal((await http.get('/api/v1/audit?tenant=other', boss)).status, 403)
  assert.equal((await http.get('/api/v1/audit/verify', boss)).status, 403)
  // an id past what the database (bigint) and JSON numbers hold is a bad request, not a 500
  for (const before of ['99999999999999999999', '1e25', '9007199254740992']) {
    const big = await http.get(`/api/v1/audit?before=${before}`, root)
    assert.deepEqual([big.status, big.body.code], [400, 'RS_ERR_BAD_REQUEST'], before)
    assert.match(big.body.message, /before/)
  }
  const v = await http.get('/api/v1/audit/verify', root)
  assert.deepEqual(v.body, { ok: true, rows: 6, head: entries[5].hash })
})

test('concurrent administrative actions still form one chain', { timeout: 60_000 }, async () => {
  // a second database, so the first tests' row numbers stay as they are
  const other = await startSecureApi()
  try {
    const h = client(other.api.url)
    const root = await h.login(other.rootUser, other.rootPassword)
    assert.equal((await h.post('/api/v1/tenants', { id: 'acme' }, root)).status, 201)
    const codes = await Promise.all(Array.from({ length: 12 }, (_, i) => h.post(`/api/v1/rigs/acme/c${i}/device`, {}, root).then(r => r.status)))
    assert.deepEqual(new Set(codes), new Set([201]))
    const v = await verifyAuditChain(other.pool)
    assert.deepEqual([v.ok, v.rows], [true, 14])
  } finally {
    await other.close()
  }
})

test('the table refuses UPDATE and DELETE', { timeout: 30_000 }, async () => {
  await assert.rejects(s.pool.query("UPDATE audit_log SET actor = 'someone else' WHERE id = 2"), /append-only/)
  await assert.rejects(s.pool.query('DELETE FROM audit_log WHERE id = 2'), /append-only/)
})

test('rigstream audit verify accepts the chain and detects a changed, a removed and a re-hashed row', { timeout: 60_000 }, async () => {
  const ok = await auditVerify(s.store.url)
  assert.equal(ok.code, 0, ok.stderr)
  const okJson = JSON.parse(ok.stdout)
  assert.equal(okJson.ok, true)
  assert.equal(okJson.rows, 6)

  // 1. someone turns the viewer they made into an admin after the fact
  const before = (await s.pool.query('SELECT detail FROM audit_log WHERE id = 4')).rows[0].detail
  await tamper(`UPDATE audit_log SET detail = '{"role":"admin"}' WHERE id = 4`)
  const changed = await auditVerify(s.store.url)
  assert.equal(changed.code, 1)
  assert.deepEqual({ ...JSON.parse(changed.stdout), head: undefined }, { ok: false, rows: 3, head: undefined, brokenAt: 4, reason: 'row 4 content does not match its hash' })
  assert.match(changed.stderr, /RS_ERR_AUDIT_CHAIN/)
  // 2. ... and recomputes that row's hash too: the next row no longer links to it
  const { auditHash } = await import('../../cloud-api/src/auth/audit.js')
  const r4 = (await s.pool.query('SELECT * FROM audit_log WHERE id = 4')).rows[0]
  const rehash = auditHash(r4.prev_hash, { id: 4, at: r4.at, actor: r4.actor, tenant: r4.tenant, action: r4.action, target: r4.target, detail: r4.detail })
  await tamper('UPDATE audit_log SET hash = $1 WHERE id = 4', [rehash])
  const rehashed = await verifyAuditChain(s.pool)
  assert.deepEqual({ ok: rehashed.ok, brokenAt: rehashed.brokenAt }, { ok: false, brokenAt: 5 })
  assert.match(rehashed.reason!, /does not link/)
  // put it back: the chain verifies again
  await tamper('UPDATE audit_log SET detail = $1, hash = (SELECT prev_hash FROM audit_log WHERE id = 5) WHERE id = 4', [JSON.stringify(before)])
  assert.equal((await verifyAuditChain(s.pool)).ok, true)
  // 3. a row removed from the middle
  await tamper('DELETE FROM audit_log WHERE id = 3')
  const removed = await auditVerify(s.store.url)
  assert.equal(removed.code, 1)
  assert.equal(JSON.parse(removed.stdout).brokenAt, 3)
  assert.match(JSON.parse(removed.stdout).reason, /row 3 is missing/)
})

test('rigstream audit names a bad command and a missing DATABASE_URL', { timeout: 30_000 }, async () => {
  const p = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'audit', 'verify'], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  p.stderr.on('data', d => { err += String(d) })
  const code = await new Promise(r => p.once('exit', r))
  assert.equal(code, 1)
  assert.match(err, /RS_ERR_CONFIG: .*DATABASE_URL is required/)
})
