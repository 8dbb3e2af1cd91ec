// Tenant isolation, tokens and roles, over the real HTTP and WebSocket server on a free port, with
// users made through the API itself on a real PostgreSQL.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { connect } from 'node:net'
import WebSocket from 'ws'
import { frameBatch } from '../../cloud-api/test/support/frames.js'
import { TestClient, type Msg } from '../../cloud-api/test/support/ws-client.js'
import { signToken } from '../../cloud-api/src/auth/jwt.js'
import { startSecureApi, client, type SecureApi } from './support.js'

let s: SecureApi
let http: ReturnType<typeof client>
let wsUrl: string
let root: string
const tokens: Record<string, string> = {}
const PASSWORD = 'correct horse battery staple'
const SECOND = 1_000_000
const base = (Math.floor(Date.now() / 1000) - 60) * SECOND

async function insertPrediction (tenant: string, rig: string): Promise<void> {
  await s.pool.query(
    `INSERT INTO predictions (tenant, rig, window_start, window_end, model_version, source, first_seq, last_seq, classes, heads, produced_at)
     VALUES ($1, $2, to_timestamp($3 / 1e6), to_timestamp($3 / 1e6 + 60), '1.0.0', 'cloud', 1, 60, '{0,0,0,0,0}', '[]', now())`, [tenant, rig, base])
}

/** opens a socket and resolves with the HTTP status of a refused upgrade (or 101 when it opened) */
function upgradeStatus (url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate() })
    ws.once('open', () => { resolve(101); ws.close() })
    ws.once('error', err => { if (!/Unexpected server response/.test(err.message)) reject(err) })
  })
}

/** A raw client that sends an upgrade without a token and never closes its end: resolves with
 * what the server sent once the server ends the connection (a refused upgrade must not stay open:
 * each one used to hold a socket, and kept app.close() waiting, until the process died). */
function refusedUpgradeEnded (httpUrl: string): Promise<string> {
  const u = new URL(httpUrl)
  return new Promise((resolve, reject) => {
    const sock = connect(Number(u.port), u.hostname)
    let got = ''
    const t = setTimeout(() => { sock.destroy(); reject(new Error(`the server kept a refused upgrade open; it sent ${JSON.stringify(got.split('\r\n')[0])}`)) }, 10_000)
    sock.setEncoding('utf8')
    sock.on('data', d => { got += d })
    sock.on('error', reject)
    sock.on('end', () => { clearTimeout(t); sock.destroy(); resolve(got) })
    sock.write(`GET /ws HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
  })
}

before(async () => {
  s = await startSecureApi({ loginRateLimit: { burst: 30, perSecond: 0.2 } })
  http = client(s.api.url)
  wsUrl = s.api.url.replace('http', 'ws') + '/ws'
  await s.store.insert([
    frameBatch('acme', 'r1', 1, { windowStartUs: base }),
    frameBatch('globex', 'g1', 1, { windowStartUs: base })
  ])
  await insertPrediction('acme', 'r1')
  await insertPrediction('globex', 'g1')
  root = await http.login(s.rootUser, s.rootPassword)
  for (const t of ['acme', 'globex']) {
    assert.equal((await http.post('/api/v1/tenants', { id: t, name: t.toUpperCase() }, root)).status, 201)
    assert.equal((await http.post(`/api/v1/tenants/${t}/users`, { username: `${t}-admin`, password: PASSWORD, role: 'admin' }, root)).status, 201)
    tokens[`${t}-admin`] = await http.login(`${t}-admin`, PASSWORD)
    for (const role of ['viewer', 'operator']) {
      // a tenant's admin makes its own users
      const r = await http.post(`/api/v1/tenants/${t}/users`, { username: `${t}-${role}`, password: PASSWORD, role }, tokens[`${t}-admin`])
      assert.equal(r.status, 201, JSON.stringify(r.body))
      tokens[`${t}-${role}`] = await http.login(`${t}-${role}`, PASSWORD)
    }
  }
})
after(async () => { await s.close() })

test('without a token only the public routes answer', { timeout: 30_000 }, async () => {
  for (const path of ['/api/v1/rigs', '/api/v1/rigs/acme/r1/frames', '/api/v1/tenants', '/api/v1/auth/me', '/api/v1/rigs/acme/r1/predictions']) {
    const r = await http.get(path)
    assert.equal(r.status, 401, path)
    assert.equal(r.body.code, 'RS_ERR_AUTH')
  }
  assert.equal((await http.get('/api/v1/healthz')).status, 200)
  assert.equal((await http.get('/api/v1/profile')).status, 200)
  assert.equal((await http.get('/api/v1/openapi.json')).status, 200)
  assert.equal(await upgradeStatus(wsUrl), 401)
  assert.match(await refusedUpgradeEnded(s.api.url), /^HTTP\/1\.1 401 /)
})

test('a user of tenant A cannot read tenant B by REST: rigs, telemetry, predictions', { timeout: 30_000 }, async () => {
  const a = tokens['acme-viewer']
  const me = await http.get('/api/v1/auth/me', a)
  assert.deepEqual({ ...me.body, expiresAt: undefined }, { username: 'acme-viewer', tenant: 'acme', role: 'viewer', expiresAt: undefined })
  // the list holds only the caller's tenant; the platform admin sees both
  assert.deepEqual((await http.get('/api/v1/rigs', a)).body.rigs.map((r: any) => `${r.tenant}/${r.rig}`), ['acme/r1'])
  assert.deepEqual((await http.get('/api/v1/rigs', root)).body.rigs.map((r: any) => `${r.tenant}/${r.rig}`), ['acme/r1', 'globex/g1'])
  assert.deepEqual((await http.get('/api/v1/tenants', a)).body.tenants.map((t: any) => t.id), ['acme'])
  // own tenant: allowed
  assert.equal((await http.get('/api/v1/rigs/acme/r1/frames?channels=PS1', a)).status, 200)
  assert.equal((await http.get('/api/v1/rigs/acme/r1/series?channel=PS1', a)).status, 200)
  const own = await http.get('/api/v1/rigs/acme/r1/predictions', a)
  assert.equal(own.status, 200)
  assert.equal(own.body.predictions.length, 1)
  // the other tenant: refused before any of its data is read, whether or not the rig exists
  for (const path of [
    '/api/v1/rigs?tenant=globex',
    '/api/v1/rigs/globex/g1/frames',
    '/api/v1/rigs/globex/g1/series?channel=PS1',
    '/api/v1/rigs/globex/g1/predictions',
    '/api/v1/rigs/globex/g1/alerts',
    '/api/v1/rigs/globex/g1/drift',
    '/api/v1/rigs/globex/nope/frames',
    '/api/v1/tenants/globex/users',
    '/api/v1/tenants/globex/devices'
  ]) {
    const r = await http.get(path, tokens['acme-admin'])
    assert.equal(r.status, 403, path)
    assert.equal(r.body.code, 'RS_ERR_FORBIDDEN')
    assert.doesNotMatch(JSON.stringify(r.body), /g1.*PS1|samples/)
  }
})

test('a user of tenant A cannot watch tenant B live', { timeout: 30_000 }, async () => {
  const a = await TestClient.connect(`${wsUrl}?access_token=${tokens['acme-viewer']}`)
  const refused = await a.request({ type: 'subscribe', tenant: 'globex', rig: 'g1' }, 'subscribed')
  assert.equal(refused.type, 'error')
  assert.equal(refused.code, 'RS_ERR_FORBIDDEN')
  assert.deepEqual(await a.request({ type: 'subscribe', tenant: 'acme', rig: 'r1', channels: ['PS1'] }, 'subscribed'), { type: 'subscribed', tenant: 'acme', rig: 'r1', channels: ['PS1'] })
  // globex's admin watches globex over a header-authenticated socket
  const bWs = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${tokens['globex-admin']}` } })
  const b = await new Promise<WebSocket>((resolve, reject) => { bWs.once('open', () => resolve(bWs)); bWs.once('error', reject) })
  const bMsgs: Msg[] = []
  b.on('message', d => bMsgs.push(JSON.parse(String(d))))
  b.send(JSON.stringify({ type: 'subscribe', tenant: 'globex', rig: 'g1' }))
  while (!bMsgs.some(m => m.type === 'subscribed')) await new Promise(r => setTimeout(r, 10))
  // new rigs of both tenants appear, and frames of both flow
  s.bus.emit('frames', { tenant: 'globex', rig: 'g2', seq: 1, batch: frameBatch('globex', 'g2', 1) })
  s.bus.emit('frames', { tenant: 'globex', rig: 'g1', seq: 2, batch: frameBatch('globex', 'g1', 2) })
  s.bus.emit('frames', { tenant: 'acme', rig: 'r2', seq: 1, batch: frameBatch('acme', 'r2', 1) })
  s.bus.emit('frames', { tenant: 'acme', rig: 'r1', seq: 2, batch: frameBatch('acme', 'r1', 2) })
  await a.next(m => m.type === 'frames' && m.rig === 'r1' && m.seq === 2)
  while (!bMsgs.some(m => m.type === 'frames' && m.rig === 'g1')) await new Promise(r => setTimeout(r, 10))
  // acme's socket saw acme only, globex's socket globex only
  const seenA = a.messages.filter(m => m.tenant !== undefined || m.type === 'rigs').map(m => JSON.stringify(m))
  assert.ok(seenA.length > 0)
  for (const m of seenA) assert.doesNotMatch(m, /globex/)
  assert.ok(a.messages.some(m => m.type === 'rigs' && m.added.some((x: any) => x.rig === 'r2')))
  for (const m of bMsgs) assert.doesNotMatch(JSON.stringify(m), /acme/)
  b.close()
  await a.close()
})

test('expired, forged and malformed tokens are refused by REST and WebSocket', { timeout: 30_000 }, async () => {
  const secret = Buffer.from(s.secret, 'utf8')
  const expired = signToken(secret, { sub: 'acme-admin', tid: 'acme', role: 'admin' }, 60, Math.floor(Date.now() / 1000) - 3600).token
  const otherKey = signToken(Buffer.alloc(32, 7), { sub: 'acme-admin', tid: '*', role: 'admin' }, 3600).token
  // a valid token with its claims swapped for another tenant's, signature kept
  const [h, , sig] = tokens['acme-viewer'].split('.')
  const swapped = `${h}.${Buffer.from(JSON.stringify({ sub: 'acme-viewer', tid: 'globex', role: 'admin', iat: 1, exp: 4_000_000_000, jti: 'x' })).toString('base64url')}.${sig}`
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', tid: '*', role: 'admin', iat: 1, exp: 4_000_000_000 })).toString('base64url')}.`
  // right key, but HS512 in the header: the token does not choose the algorithm
  const h512 = Buffer.from('{"alg":"HS512","typ":"JWT"}').toString('base64url')
  const p512 = Buffer.from(JSON.stringify({ sub: 'x', tid: '*', role: 'admin', iat: 1, exp: 4_000_000_000 })).toString('base64url')
  const hs512 = `${h512}.${p512}.${createHmac('sha512', secret).update(`${h512}.${p512}`).digest('base64url')}`
  const cases: Record<string, string> = { expired, otherKey, swapped, none, hs512, garbage: 'not-a-token' }
  for (const [name, token] of Object.entries(cases)) {
    const r = await http.get('/api/v1/rigs/acme/r1/frames', token)
    assert.equal(r.status, 401, name)
    assert.equal(r.body.code, 'RS_ERR_AUTH', name)
    assert.equal(await upgradeStatus(`${wsUrl}?access_token=${encodeURIComponent(token)}`), 401, `ws ${name}`)
    assert.equal(await upgradeStatus(wsUrl, { authorization: `Bearer ${token}` }), 401, `ws header ${name}`)
  }
  assert.match((await http.get('/api/v1/rigs', expired)).body.message, /expired/)
  // a wrong password gets no token, and does not say whether the user exists
  const wrong = await http.post('/api/v1/auth/login', { username: 'acme-admin', password: 'wrong password!' })
  const nobody = await http.post('/api/v1/auth/login', { username: 'nobody', password: 'wrong password!' })
  assert.equal(wrong.status, 401)
  assert.equal(wrong.body.message, nobody.body.message)
})

test('roles: viewers read, operators provision devices, admins manage users of their own tenant only', { timeout: 30_000 }, async () => {
  assert.equal((await http.post('/api/v1/rigs/acme/r9/device', {}, tokens['acme-viewer'])).status, 403)
  assert.equal((await http.post('/api/v1/tenants/acme/users', { username: 'x1', password: PASSWORD, role: 'viewer' }, tokens['acme-operator'])).status, 403)
  assert.equal((await http.post('/api/v1/tenants/globex/users', { username: 'x2', password: PASSWORD, role: 'admin' }, tokens['acme-admin'])).status, 403)
  assert.equal((await http.post('/api/v1/tenants', { id: 'evil' }, tokens['acme-admin'])).status, 403)
  assert.equal((await http.post('/api/v1/rigs/globex/g9/device', {}, tokens['acme-operator'])).status, 403)
  // acknowledging an alert changes state: not for viewers
  assert.equal((await http.post('/api/v1/rigs/acme/r1/alerts/some-id/ack', {}, tokens['acme-viewer'])).status, 403)
  assert.equal((await http.post('/api/v1/rigs/acme/r9/device', {}, tokens['acme-operator'])).status, 201)
  // a live socket the user holds when it is disabled
  const held = new WebSocket(`${wsUrl}?access_token=${tokens['acme-operator']}`)
  await new Promise((resolve, reject) => { held.once('open', resolve); held.once('error', reject) })
  const heldClosed = new Promise<[number, string]>(resolve => held.once('close', (c, r) => resolve([c, String(r)])))
  // a disabled user cannot log in again
  const off = await http.call('PATCH', '/api/v1/tenants/acme/users/acme-operator', tokens['acme-admin'], { disabled: true })
  assert.equal(off.status, 200)
  assert.equal(off.body.disabled, true)
  assert.equal((await http.post('/api/v1/auth/login', { username: 'acme-operator', password: PASSWORD })).status, 401)
  // and the token it already holds stops working at once, by REST and WebSocket
  const stale = await http.get('/api/v1/rigs', tokens['acme-operator'])
  assert.equal(stale.status, 401)
  assert.match(stale.body.message, /disabled/)
  assert.equal(await upgradeStatus(`${wsUrl}?access_token=${tokens['acme-operator']}`), 401)
  // and the socket it held is closed: 4401, log in again
  assert.deepEqual(await heldClosed, [4401, 'account is disabled or removed'])
  // enabled again: the old token stays dead (it was issued before the change), a new login works
  assert.equal((await http.call('PATCH', '/api/v1/tenants/acme/users/acme-operator', tokens['acme-admin'], { disabled: false })).status, 200)
  const revived = await http.get('/api/v1/rigs', tokens['acme-operator'])
  assert.equal(revived.status, 401)
  assert.match(revived.body.message, /log in again/)
  const again = await http.post('/api/v1/auth/login', { username: 'acme-operator', password: PASSWORD })
  assert.equal(again.status, 200)
  assert.equal((await http.get('/api/v1/rigs', again.body.token)).status, 200)
  // a demoted operator's token no longer carries the operator role, nor when the role comes back
  const before = tokens['globex-operator']
  assert.equal((await http.call('PATCH', '/api/v1/tenants/globex/users/globex-operator', tokens['globex-admin'], { role: 'viewer' })).status, 200)
  assert.match((await http.get('/api/v1/rigs', before)).body.message, /log in again/)
  assert.equal((await http.call('PATCH', '/api/v1/tenants/globex/users/globex-operator', tokens['globex-admin'], { role: 'operator' })).status, 200)
  const restored = await http.get('/api/v1/rigs', before)
  assert.equal(restored.status, 401)
  assert.match(restored.body.message, /log in again/)
  // a PATCH that changes nothing keeps the tokens
  const fresh = (await http.post('/api/v1/auth/login', { username: 'globex-operator', password: PASSWORD })).body.token
  assert.equal((await http.call('PATCH', '/api/v1/tenants/globex/users/globex-operator', tokens['globex-admin'], { role: 'operator' })).status, 200)
  assert.equal((await http.get('/api/v1/rigs', fresh)).status, 200)
  // a token made with the server's key but without the account's epoch (as older versions made them) is refused
  const noEpoch = signToken(Buffer.from(s.secret, 'utf8'), { sub: 'globex-operator', tid: 'globex', role: 'operator' }, 60).token
  assert.match((await http.get('/api/v1/rigs', noEpoch)).body.message, /log in again/)
  // bad input is named
  const bad = await http.post('/api/v1/tenants/acme/users', { username: 'a b', password: 'short', role: 'king' }, tokens['acme-admin'])
  assert.equal(bad.status, 400)
  assert.equal(bad.body.code, 'RS_ERR_BAD_REQUEST')
  const dup = await http.post('/api/v1/tenants/acme/users', { username: 'acme-viewer', password: PASSWORD, role: 'viewer' }, tokens['acme-admin'])
  assert.equal(dup.status, 409)
  assert.equal(dup.body.code, 'RS_ERR_CONFLICT')
})

test('input PostgreSQL or the HTTP layer refuses gets a 4xx with the matching code, never a 500 or a retriable 503', { timeout: 30_000 }, async () => {
  // a NUL byte in an alert id (PostgreSQL refuses it in text): 400, and no error-level log line
  const nul = await http.post('/api/v1/rigs/acme/r1/alerts/a%00b/ack', {}, tokens['acme-admin'])
  assert.equal(nul.status, 400)
  assert.equal(nul.body.code, 'RS_ERR_BAD_REQUEST')
  assert.match(nul.body.message, /params\/id/)
  // one in a tenant name: 400 naming it (before: 503 RS_ERR_DB_UNAVAILABLE, "retry later")
  const name = await http.post('/api/v1/tenants', { id: 't9', name: 'a\u0000b' }, root)
  assert.equal(name.status, 400)
  assert.equal(name.body.code, 'RS_ERR_BAD_REQUEST')
  assert.match(name.body.message, /tenant t9: a value cannot be stored/)
  assert.equal(s.logs.filter(l => JSON.parse(l).level >= 50).length, 0, 'nothing logged as an error')
  // a body past the 1 MiB limit: 413 RS_ERR_TOO_LARGE (before: RS_ERR_BAD_REQUEST)
  const big = await fetch(`${s.api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) }) })
  assert.equal(big.status, 413)
  assert.equal((await big.json() as { code: string }).code, 'RS_ERR_TOO_LARGE')
  // a path fastify refuses itself: 404 with its code
  const slashes = await fetch(`${s.api.url}/api/v1//rigs`, { headers: { authorization: `Bearer ${tokens['acme-viewer']}` } })
  const sb = await slashes.json() as { code: string, statusCode: number }
  assert.equal(sb.statusCode, slashes.status)
  assert.notEqual(sb.code, 'RS_ERR_BAD_REQUEST', `status ${slashes.status} must carry its own code`)
  // headers past Node's limit (a 70 KB query string): 431 in the same error shape (before: no body)
  const long = await fetch(`${s.api.url}/api/v1/rigs?x=${'a'.repeat(70_000)}`)
  assert.equal(long.status, 431)
  assert.equal((await long.json() as { code: string }).code, 'RS_ERR_TOO_LARGE')
})

test('a live socket is closed when its token expires', { timeout: 30_000 }, async () => {
  // the account's token epoch, read off its login token (a token without it is refused)
  const ver = (JSON.parse(Buffer.from(tokens['acme-viewer']!.split('.')[1]!, 'base64url').toString('utf8')) as { ver: number }).ver
  const short = signToken(Buffer.from(s.secret, 'utf8'), { sub: 'acme-viewer', tid: 'acme', role: 'viewer', ver }, 2).token
  const ws = new WebSocket(`${wsUrl}?access_token=${short}`)
  const [code, reason] = await new Promise<[number, string]>((resolve, reject) => {
    ws.once('close', (c, r) => resolve([c, String(r)]))
    ws.once('error', reject)
  })
  assert.equal(code, 4401)
  assert.equal(reason, 'token expired')
})

test('every response carries a request id, and log lines are bound to it', { timeout: 30_000 }, async () => {
  const r = await fetch(s.api.url + '/api/v1/rigs', { headers: { authorization: `Bearer ${tokens['acme-viewer']}`, 'x-request-id': 'trace-abc-123' } })
  assert.equal(r.headers.get('x-request-id'), 'trace-abc-123')
  const line = s.logs.map(l => JSON.parse(l)).find(l => l.reqId === 'trace-abc-123' && l.msg === 'request completed')
  assert.ok(line, 'a request completed line with the caller\'s request id')
  assert.equal(line.url, '/api/v1/rigs')
  assert.equal(line.user, 'acme-viewer')
  // an id that could forge a log line is replaced
  const forged = await fetch(s.api.url + '/api/v1/healthz', { headers: { 'x-request-id': 'a"b' } })
  assert.match(forged.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
})
