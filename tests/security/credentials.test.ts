// Device credentials: returned once, stored only as a hash, never in the logs or the audit log.
// And rate limits over real HTTP.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PgCredentialStore } from '../../broker/src/credentials.js'
import { startSecureApi, client, type SecureApi } from './support.js'

let s: SecureApi
let http: ReturnType<typeof client>
let root: string
const PASSWORD = 'operator password 123'

before(async () => {
  s = await startSecureApi()
  http = client(s.api.url)
  root = await http.login(s.rootUser, s.rootPassword)
  assert.equal((await http.post('/api/v1/tenants', { id: 'acme' }, root)).status, 201)
  assert.equal((await http.post('/api/v1/tenants/acme/users', { username: 'op', password: PASSWORD, role: 'operator' }, root)).status, 201)
})
after(async () => { await s.close() })

test('device credentials are returned once, work against the broker store, and never appear in logs', { timeout: 60_000 }, async () => {
  const op = await http.login('op', PASSWORD)
  const first = await http.post('/api/v1/rigs/acme/press-7/device', { profile: 'uci-hydraulic/v1' }, op)
  assert.equal(first.status, 201, JSON.stringify(first.body))
  assert.equal(first.headers.get('cache-control'), 'no-store')
  assert.equal(first.body.username, 'acme/press-7')
  assert.equal(first.body.topicPrefix, 'rs/v1/acme/press-7/')
  assert.equal(first.body.rotated, false)
  const secret1: string = first.body.password
  assert.ok(secret1.length >= 24)
  // the broker's store accepts it; the database holds only an scrypt hash
  // as a broker in another process sees them (no verify cache: it would keep a rotated secret for its TTL)
  const broker = new PgCredentialStore(s.pool, { cache: { ttlMs: 0 } })
  assert.deepEqual(await broker.verify('acme/press-7', secret1), { kind: 'device', tenant: 'acme', rig: 'press-7' })
  const stored = (await s.pool.query("SELECT secret_hash FROM mqtt_credentials WHERE username = 'acme/press-7'")).rows[0].secret_hash as string
  assert.match(stored, /^scrypt\$/)
  assert.ok(!stored.includes(secret1))
  // the rig is registered for its tenant, with its profile (it is listed once it has sent frames)
  assert.deepEqual((await s.pool.query("SELECT tenant, profile FROM rigs WHERE rig = 'press-7'")).rows, [{ tenant: 'acme', profile: 'uci-hydraulic/v1' }])
  // listing devices shows no secret; there is no route that returns it again
  const list = await http.get('/api/v1/tenants/acme/devices', op)
  assert.equal(list.status, 200)
  assert.deepEqual(list.body.devices.map((d: any) => d.username), ['acme/press-7'])
  assert.ok(!JSON.stringify(list.body).includes(secret1))
  // rotating issues a new secret and the old one stops working
  const second = await http.post('/api/v1/rigs/acme/press-7/device', {}, op)
  assert.equal(second.body.rotated, true)
  assert.notEqual(second.body.password, secret1)
  assert.equal(await broker.verify('acme/press-7', secret1), null)
  assert.ok(await broker.verify('acme/press-7', second.body.password))
  // revoking removes them
  assert.equal((await http.call('DELETE', '/api/v1/rigs/acme/press-7/device', op)).status, 204)
  assert.equal(await broker.verify('acme/press-7', second.body.password), null)
  assert.equal((await http.call('DELETE', '/api/v1/rigs/acme/press-7/device', op)).status, 404)

  // the logs (trace level, every line fastify and the API wrote) hold none of the secrets:
  // not the device passwords, not the operator's password, not a token
  const all = s.logs.join('\n')
  assert.ok(s.logs.length > 10, 'the capture holds the request lines')
  assert.ok(all.includes('device credentials issued'), 'the provisioning itself is logged')
  for (const secret of [secret1, second.body.password, PASSWORD, s.rootPassword, op]) assert.ok(!all.includes(secret), 'a secret reached the logs')
  // nor does the audit log
  const audit = JSON.stringify((await s.pool.query('SELECT * FROM audit_log')).rows)
  assert.match(audit, /device\.provision/)
  assert.match(audit, /device\.rotate/)
  assert.match(audit, /device\.revoke/)
  for (const secret of [secret1, second.body.password, PASSWORD]) assert.ok(!audit.includes(secret))
})

test('the WebSocket token in ?access_token= is not logged', { timeout: 30_000 }, async () => {
  const op = await http.login('op', PASSWORD)
  const ws = await import('ws')
  const sock = new ws.default(`${s.api.url.replace('http', 'ws')}/ws?access_token=${op}`)
  await new Promise<void>((resolve, reject) => { sock.once('open', () => resolve()); sock.once('error', reject) })
  sock.close()
  await new Promise(r => sock.once('close', r))
  assert.ok(s.logs.some(l => l.includes('live socket opened') && l.includes('"user":"op"')))
  assert.ok(!s.logs.join('\n').includes(op))
})

test('rate limits answer 429 with Retry-After, per user and for logins', { timeout: 60_000 }, async () => {
  const limited = await startSecureApi({ rateLimit: { burst: 5, perSecond: 0.01 }, loginRateLimit: { burst: 3, perSecond: 0.01 } }, { store: s.store, pool: s.pool })
  try {
    const h = client(limited.api.url)
    const op = await h.login('op', PASSWORD) // login 1 of 3 for this address
    const codes: number[] = []
    for (let i = 0; i < 7; i++) codes.push((await h.get('/api/v1/rigs', op)).status)
    assert.deepEqual(codes, [200, 200, 200, 200, 200, 429, 429])
    const r = await h.get('/api/v1/rigs', op)
    assert.equal(r.body.code, 'RS_ERR_LIMIT')
    assert.ok(Number(r.headers.get('retry-after')) > 0)
    // another user has its own bucket (the address's bucket counts only requests without a token)
    const root2 = await h.login(limited.rootUser, limited.rootPassword) // 2 of 3
    assert.equal((await h.get('/api/v1/rigs', root2)).status, 200)
    // logins: 3 per address, then refused even with the right password
    const again = await h.post('/api/v1/auth/login', { username: 'op', password: 'wrong wrong wrong' }) // 3 of 3
    assert.equal(again.status, 401)
    const refused = await h.post('/api/v1/auth/login', { username: 'op', password: PASSWORD })
    assert.equal(refused.status, 429)
    const m = await (await fetch(limited.api.url + '/metrics')).text()
    // 3 refused requests and 1 refused login
    assert.match(m, /^rigstream_api_rate_limited_total 4$/m)
    assert.match(m, /^rigstream_api_auth_failures_total\{reason="login refused"\} 1$/m)
  } finally {
    await limited.close()
  }
})
