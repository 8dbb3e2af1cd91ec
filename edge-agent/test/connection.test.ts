// Reconnect backoff with jitter, and clock drift against a server's Date header (real HTTP server,
// real Mosquitto).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { restartableMosquitto } from '../../tests/support/mosquitto.js'
import { until } from '../../tests/support/agent-runner.js'
import { startAgent } from '../src/agent.js'
import { ClockDriftMonitor } from '../src/clock-drift.js'
import { backoffDelay } from '../src/connection.js'
import { createSimulator } from '../src/sources/simulator.js'

test('backoff: the ceiling doubles from initialMs up to maxMs; half of it is fixed, half jitter', () => {
  const o = { initialMs: 1000, maxMs: 30_000 }
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map(a => backoffDelay(a, o, () => 0)), [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000])
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map(a => backoffDelay(a, o, () => 1)), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000])
  const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(3, o)))
  assert.ok(spread.size > 10, 'a fleet does not retry in lockstep')
})

/** An HTTP server whose clock is `skewMs` ahead of ours (its Date header says so). */
async function skewedServer (skew: { ms: number }): Promise<{ url: string, server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('Date', new Date(Date.now() + skew.ms).toUTCString())
    res.end()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`, server }
}

function capture (): { log: pino.Logger, lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  return { lines, log: pino({ level: 'info' }, { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>) } }) }
}

test('clock drift: measured against a server Date header, reported in stats and logged once per change', async t => {
  const skew = { ms: 10_000 }
  const { url, server } = await skewedServer(skew)
  t.after(() => server.close())
  const { log, lines } = capture()
  const m = new ClockDriftMonitor({ url, log, toleranceMs: 2000 })
  await m.check()
  const s = m.stats()
  assert.equal(s.clockDrift, true)
  assert.ok(s.clockOffsetMs !== null && s.clockOffsetMs > 8000 && s.clockOffsetMs < 12_000, `offset ${s.clockOffsetMs} ms for a 10 s skew`)
  await m.check()
  assert.equal(lines.filter(l => l.msg === 'rig clock drifts from server time; frame timestamps keep the rig clock').length, 1, 'logged once, not on every check')
  skew.ms = 0
  await m.check()
  assert.equal(m.stats().clockDrift, false)
  assert.ok(Math.abs(m.stats().clockOffsetMs!) <= 1500)
  assert.equal(lines.filter(l => l.msg === 'rig clock agrees with server time').length, 1)
  await m.stop()
})

test('agent: retries a broker that is down with backoff, connects when it comes up, reports clock drift in its stats', { timeout: 60_000 }, async t => {
  const mq = await restartableMosquitto()
  await mq.stop()
  t.after(() => mq.stop())
  const skew = { ms: -7000 }
  const { url, server } = await skewedServer(skew)
  t.after(() => server.close())
  const { log } = capture()
  const agent = await startAgent({
    brokerUrl: mq.url,
    tenant: 'acme',
    rig: 'rig-b',
    source: createSimulator({ seed: 1, startUs: Math.floor(Date.now() / 1000 - 600) * 1_000_000 }),
    stateDir: mkdtempSync(join(tmpdir(), 'rs-conn-')),
    speed: 10,
    log,
    backoff: { initialMs: 100, maxMs: 400 },
    timeUrl: url
  })
  t.after(() => agent.stop())
  await until(() => agent.stats().reconnects >= 3, 'three reconnect attempts', 20_000)
  assert.equal(agent.stats().connected, false)
  assert.ok(agent.stats().spooled > 0, 'frames wait in the spool meanwhile')
  await mq.start()
  await until(() => agent.stats().connected && agent.stats().spooled < 5, 'connected and the backlog sent', 20_000)
  await until(() => agent.stats().clockOffsetMs !== null, 'a clock measurement', 10_000)
  assert.equal(agent.stats().clockDrift, true)
  assert.ok(agent.stats().clockOffsetMs! < -5000, `rig clock ahead of the server by ~7 s: ${agent.stats().clockOffsetMs}`)
})
