// A cloud-api with auth on, over real HTTP and WebSocket, on a fresh real PostgreSQL, with every
// pino line it writes kept (at trace level) so a test can search the logs for secrets.
import { Writable } from 'node:stream'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { pino } from 'pino'
import { LiveBus } from '../../common/src/live.js'
import { createPredictionStore } from '../../inference/src/worker/store.js'
import { startApi, type Api } from '../../cloud-api/src/server.js'
import type { ApiAuthOptions } from '../../cloud-api/src/auth/index.js'
import { ensureAdmin } from '../../cloud-api/src/auth/bootstrap.js'
import { storeForTest, type TestStore } from '../../cloud-api/test/support/store.js'

export interface SecureApi {
  api: Api
  bus: LiveBus
  store: TestStore
  pool: pg.Pool
  secret: string
  /** every log line written so far */
  logs: string[]
  rootUser: string
  rootPassword: string
  close (): Promise<void>
}

export async function startSecureApi (auth: Partial<ApiAuthOptions> = {}, existing?: { store: TestStore, pool: pg.Pool }): Promise<SecureApi> {
  const store = existing?.store ?? await storeForTest()
  const pool = existing?.pool ?? new pg.Pool({ connectionString: store.url, max: 4 })
  const logs: string[] = []
  const sink = new Writable({ write (chunk, _enc, cb) { logs.push(...String(chunk).split('\n').filter(Boolean)); cb() } })
  const log = pino({ level: 'trace' }, sink)
  const root = await ensureAdmin(pool, { tenant: null, username: `root-${randomBytes(3).toString('hex')}` })
  const secret = randomBytes(32).toString('base64url')
  const bus = new LiveBus()
  const api = await startApi({
    port: 0,
    queries: store.queries,
    bus,
    log,
    predictions: { store: createPredictionStore(pool), targets: ['cooler', 'valve', 'pump', 'accumulator', 'stable'] },
    auth: { pool, jwtSecret: secret, ...auth }
  })
  return {
    api,
    bus,
    store,
    pool,
    secret,
    logs,
    rootPassword: root.password!,
    rootUser: root.username,
    async close () {
      await api.close()
      if (!existing) { await pool.end(); await store.close() }
    }
  }
}

export interface Reply { status: number, body: any, headers: Headers }

export function client (baseUrl: string) {
  async function call (method: string, path: string, token?: string | null, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {}
    if (token) headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const r = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await r.text()
    return { status: r.status, headers: r.headers, body: r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
  }
  return {
    call,
    get: (path: string, token?: string | null) => call('GET', path, token),
    post: (path: string, body: unknown, token?: string | null) => call('POST', path, token, body),
    async login (username: string, password: string): Promise<string> {
      const r = await call('POST', '/api/v1/auth/login', null, { username, password })
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body.token as string
    }
  }
}
