// The OpenAPI document is built from the registered routes' schemas and served by the real server.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { pino } from 'pino'
import { LiveBus } from '../../common/src/live.js'
import { startApi } from '../src/server.js'
import { storeForTest } from './support/store.js'

const log = pino({ level: 'silent' })
const cleanups: Array<() => Promise<unknown>> = []
after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

test('GET /api/v1/openapi.json describes every API route with its parameters, bodies and auth', { timeout: 60_000 }, async () => {
  const store = await storeForTest()
  cleanups.push(() => store.close())
  const pool = new pg.Pool({ connectionString: store.url, max: 2 })
  cleanups.push(() => pool.end())
  const api = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log, auth: { pool, jwtSecret: 'x'.repeat(32) } })
  cleanups.push(() => api.close())
  const r = await fetch(api.url + '/api/v1/openapi.json')
  assert.equal(r.status, 200)
  const doc = await r.json() as any
  assert.equal(doc.openapi, '3.1.0')
  // every route the server has under /api/ is in the document
  const routes = api.app.printRoutes({ commonPrefix: false })
  for (const path of ['/api/v1/rigs', '/api/v1/rigs/{tenant}/{rig}/frames', '/api/v1/rigs/{tenant}/{rig}/series', '/api/v1/auth/login', '/api/v1/tenants', '/api/v1/tenants/{tenant}/users', '/api/v1/tenants/{tenant}/users/{username}', '/api/v1/rigs/{tenant}/{rig}/device', '/api/v1/tenants/{tenant}/devices', '/api/v1/audit', '/api/v1/audit/verify', '/api/v1/models', '/api/v1/models/{name}/{version}/{file}', '/api/v1/tenants/{tenant}/rollouts', '/api/v1/tenants/{tenant}/rollouts/{id}', '/api/v1/tenants/{tenant}/rollouts/{id}/rollback', '/api/v1/tenants/{tenant}/model-versions', '/api/v1/tenants/{tenant}/rig-groups', '/api/v1/tenants/{tenant}/rig-groups/{group}', '/metrics', '/ws']) {
    assert.ok(doc.paths[path], `${path} missing from the document (server routes:\n${routes})`)
  }
  const frames = doc.paths['/api/v1/rigs/{tenant}/{rig}/frames'].get
  assert.deepEqual(frames.parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name), ['tenant', 'rig'])
  assert.deepEqual(frames.parameters.find((p: any) => p.name === 'limit').schema, { type: 'integer', minimum: 1, maximum: 10_000, default: 100 })
  assert.deepEqual(frames.security, [{ bearerAuth: [] }])
  assert.equal(frames.responses['404'].content['application/json'].schema.$ref, '#/components/schemas/Error')
  const login = doc.paths['/api/v1/auth/login'].post
  assert.deepEqual(login.security, [])
  assert.deepEqual(login.requestBody.content['application/json'].schema.required, ['username', 'password'])
  assert.match(doc.paths['/api/v1/tenants/{tenant}/users'].post.description, /admin/)
  // models: upload is for platform admins, with its 409 and 413; a rollout's rigs carry their status
  const upload = doc.paths['/api/v1/models'].post
  assert.match(upload.description, /Platform admin only/)
  assert.deepEqual(upload.requestBody.content['application/json'].schema.required, ['manifest', 'model'])
  assert.ok(upload.responses['409'] && upload.responses['413'])
  assert.deepEqual(doc.paths['/api/v1/models/{name}/{version}/{file}'].get.security, [])
  const rollout = doc.paths['/api/v1/tenants/{tenant}/rollouts'].post
  assert.match(rollout.description, /Least role: admin/)
  assert.ok(JSON.stringify(rollout.responses['201']).includes('rolled-back'))
  assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
  const html = await (await fetch(api.url + '/api/v1/docs')).text()
  assert.match(html, /<code>\/api\/v1\/rigs\/\{tenant\}\/\{rig\}\/series<\/code>/)
})
