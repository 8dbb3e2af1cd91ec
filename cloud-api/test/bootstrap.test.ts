// The embedded demo's accounts: tenant 'demo' and its admin, created once, password returned once.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { pino } from 'pino'
import { LiveBus } from '../../common/src/live.js'
import { PgCredentialStore } from '../../broker/src/credentials.js'
import { startApi } from '../src/server.js'
import { demoAuth } from '../src/auth/bootstrap.js'
import { verifyAuditChain } from '../src/auth/audit.js'
import { storeForTest } from './support/store.js'

const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

test('demoAuth makes tenant demo and its admin once; the admin logs in and provisions a rig', { timeout: 60_000 }, async () => {
  const store = await storeForTest()
  cleanups.push(() => store.close())
  const pool = new pg.Pool({ connectionString: store.url, max: 3 })
  cleanups.push(() => pool.end())
  const credentials = new PgCredentialStore(pool)
  await credentials.migrate()
  const first = await demoAuth(pool, credentials, { tenant: 'demo' })
  assert.equal(first.admin.username, 'admin')
  assert.ok(first.admin.password && first.admin.password.length >= 20)
  const again = await demoAuth(pool, credentials, { tenant: 'demo' })
  assert.equal(again.admin.password, undefined, 'an existing admin keeps its password, which is not shown again')
  const api = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log: pino({ level: 'silent' }), auth: again.auth })
  cleanups.push(() => api.close())
  const login = await fetch(api.url + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: first.admin.password }) })
  const { token, user } = await login.json() as { token: string, user: unknown }
  assert.deepEqual(user, { username: 'admin', tenant: 'demo', role: 'admin' })
  const dev = await fetch(api.url + '/api/v1/rigs/demo/sim-001/device', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  assert.equal(dev.status, 201)
  // the broker's own store (same instance) refuses the old secret at once after a rotation
  const { password } = await dev.json() as { password: string }
  assert.ok(await credentials.verify('demo/sim-001', password))
  await fetch(api.url + '/api/v1/rigs/demo/sim-001/device', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  assert.equal(await credentials.verify('demo/sim-001', password), null)
  assert.deepEqual(await verifyAuditChain(pool).then(r => [r.ok, r.rows]), [true, 4])
})
