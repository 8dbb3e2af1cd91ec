// `rigstream api` with RS_JWT_SECRET: auth on, a platform admin created at start with its password
// printed once on stdout (never in the logs), tokens required on /api and /ws.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { repoPath } from '../../common/src/paths.js'
import { readApiConfig } from '../src/config.js'
import { storeForTest } from './support/store.js'
import { frameBatch } from './support/frames.js'

test('config: auth settings are checked and named', () => {
  const base = { DATABASE_URL: 'postgres://x/db' }
  assert.equal(readApiConfig(base).jwtSecret, null)
  assert.throws(() => readApiConfig({ ...base, RS_JWT_SECRET: 'short' }), /RS_JWT_SECRET must be at least 32 bytes/)
  assert.throws(() => readApiConfig({ ...base, RS_JWT_SECRET: 'k'.repeat(32), RS_TOKEN_TTL_S: '5' }), /RS_TOKEN_TTL_S/)
  assert.throws(() => readApiConfig({ ...base, RS_ADMIN_USER: 'root' }), /RS_ADMIN_USER needs RS_JWT_SECRET/)
  assert.throws(() => readApiConfig({ ...base, RS_JWT_SECRET: 'k'.repeat(32), RS_ADMIN_USER: 'a b' }), /RS_ADMIN_USER must be/)
  assert.equal(readApiConfig({ ...base, RS_JWT_SECRET: 'k'.repeat(32) }).tokenTtlS, 3600)
})

test('rigstream api with RS_JWT_SECRET and RS_ADMIN_USER', { timeout: 120_000 }, async () => {
  const store = await storeForTest()
  const windowStartUs = (Math.floor(Date.now() / 1000) - 10) * 1_000_000
  await store.insert([frameBatch('demo', 'r1', 1, { windowStartUs })])
  const secret = randomBytes(32).toString('base64')
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'api', '--port', '0'], {
    env: { ...process.env, DATABASE_URL: store.url, RS_JWT_SECRET: secret, RS_ADMIN_USER: 'platform', RS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stderr.on('data', d => { err += String(d) })
  try {
    const { base, password } = await new Promise<{ base: string, password: string }>((resolve, reject) => {
      child.stdout.on('data', d => {
        out += String(d)
        const url = /dashboard at (http:\/\/\S+)\//.exec(out)
        const pw = /created platform admin platform with password (\S+) \(shown once\)/.exec(out)
        if (url && pw) resolve({ base: url[1], password: pw[1] })
      })
      child.once('exit', code => reject(new Error(`rigstream api exited ${code}: ${err}`)))
    })
    assert.equal((await fetch(base + '/api/v1/rigs')).status, 401)
    const login = await fetch(base + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'platform', password }) })
    assert.equal(login.status, 200)
    const { token } = await login.json() as { token: string }
    const rigs = await fetch(base + '/api/v1/rigs', { headers: { authorization: `Bearer ${token}` } })
    assert.deepEqual(((await rigs.json()) as any).rigs.map((r: any) => r.rig), ['r1'])
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    assert.equal(code, 0, err)
    // the logs (pino JSON on stdout) carry neither the password nor the token nor the key
    const logLines = out.split('\n').filter(l => l.startsWith('{'))
    assert.ok(logLines.some(l => l.includes('"msg":"login"')))
    for (const s of [token, secret]) assert.ok(!out.includes(s) && !err.includes(s))
    assert.ok(!logLines.some(l => l.includes(password)))
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await store.close()
  }
})
