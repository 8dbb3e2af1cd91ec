import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import pg from 'pg'
import mqtt from 'mqtt'
import { main, type CliIo } from '../src/cli.js'
import { PgCredentialStore } from '../src/credentials.js'
import { freshDatabase } from '../../tests/support/pg.js'
import { captureLogs } from './helpers.js'

function io (env: NodeJS.ProcessEnv = {}, extra: Partial<CliIo> = {}): CliIo & { out (): string, err (): string } {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const o: string[] = []
  const e: string[] = []
  stdout.on('data', (b: Buffer) => o.push(b.toString()))
  stderr.on('data', (b: Buffer) => e.push(b.toString()))
  return { env, stdout, stderr, signal: new AbortController().signal, log: captureLogs().log, ...extra, out: () => o.join(''), err: () => e.join('') }
}

describe('rigstream broker (cli)', () => {
  it('refuses bad arguments with exit code 2 and an RS_ERR_CONFIG that names the problem', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['--port', '80x'], { DATABASE_URL: 'postgres://x/y' }, /--port must be an integer/],
      [['--port', '70000'], { DATABASE_URL: 'postgres://x/y' }, /--port must be an integer in \[0, 65535\]/],
      [[], {}, /--database-url or set DATABASE_URL/],
      [['--database-url', 'mysql://x'], {}, /must start with postgres:\/\//],
      [['--bogus'], { DATABASE_URL: 'postgres://x/y' }, /bogus/],
      [['provision', '--tenant', 'acme'], { DATABASE_URL: 'postgres://x/y' }, /needs --tenant and --rig/],
      [['provision', '--tenant', 'ac/me', '--rig', 'r'], { DATABASE_URL: 'postgres://x/y' }, /tenant "ac\/me" must be/],
      [['provision', '--service', 'x', '--rig', 'r'], { DATABASE_URL: 'postgres://x/y' }, /either --service, or --tenant and --rig/],
      [['--tenant', 'acme'], { DATABASE_URL: 'postgres://x/y' }, /--tenant applies only to provision/]
    ]
    for (const [argv, env, re] of cases) {
      const t = io(env)
      assert.equal(await main(argv, t), 2, argv.join(' '))
      assert.match(t.err(), /RS_ERR_CONFIG/)
      assert.match(t.err(), re)
    }
  })

  it('provisions a device into PostgreSQL, prints the password once, and serves it over TCP and WebSocket', async () => {
    const url = await freshDatabase('brokercli')
    const p = io({ DATABASE_URL: url })
    assert.equal(await main(['provision', '--tenant', 'acme', '--rig', 'rig-1'], p), 0)
    const issued = JSON.parse(p.out()) as { username: string, password: string }
    assert.equal(issued.username, 'acme/rig-1')
    assert.equal(p.err().includes(issued.password), false)

    const pool = new pg.Pool({ connectionString: url, max: 1 })
    try {
      assert.deepEqual(await new PgCredentialStore(pool).verify(issued.username, issued.password), { kind: 'device', tenant: 'acme', rig: 'rig-1' })
    } finally { await pool.end() }

    const stop = new AbortController()
    const logs = captureLogs()
    let listening: (u: { url: string, wsUrl: string | null }) => void = () => {}
    const urls = new Promise<{ url: string, wsUrl: string | null }>(resolve => { listening = resolve })
    const s = io({}, { signal: stop.signal, log: logs.log, onListening: u => listening(u) })
    const served = main(['--port', '0', '--ws-port', '0', '--database-url', url], s)
    const { url: mqttUrl, wsUrl } = await urls
    assert.ok(wsUrl)
    for (const u of [mqttUrl, wsUrl]) {
      const c = await mqtt.connectAsync(u, { protocolVersion: 4, reconnectPeriod: 0, username: issued.username, password: issued.password }, false)
      await c.publishAsync('rs/v1/acme/rig-1/frames', 'x', { qos: 1 })
      await c.endAsync()
    }
    stop.abort()
    assert.equal(await served, 0)
    assert.match(s.out(), /^MQTT mqtt:\/\/127\.0\.0\.1:\d+ {2}WebSocket ws:\/\/127\.0\.0\.1:\d+\/mqtt\n$/)
    assert.equal(logs.text().includes(issued.password), false)
  })
})
