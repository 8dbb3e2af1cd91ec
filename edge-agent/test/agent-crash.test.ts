// The agent as its own process (rigstream agent), killed with SIGKILL: the broker publishes the
// last will (retained OFFLINE), and the restarted agent continues the seq strictly increasing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FrameBatch, RigState, rigTopic } from '../../schemas/src/index.js'
import { startMosquitto } from '../../tests/support/mosquitto.js'
import { collect, int64 } from './helpers.js'

const CHILD = fileURLToPath(new URL('./agent-child.js', import.meta.url))
const TENANT = 'acme'
const RIG = 'rig-k'

function agentProcess (url: string, stateDir: string, extra: string[] = []): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, RS_LOG_LEVEL: 'warn' }
  for (const k of Object.keys(env)) if (k.startsWith('RS_AGENT_')) delete env[k]
  const child = spawn(process.execPath, [CHILD, '--broker', url, '--tenant', TENANT, '--rig', RIG, '--state-dir', stateDir, ...extra], { stdio: ['ignore', 'ignore', 'inherit'], env })
  return child
}

const exited = (c: ChildProcess): Promise<{ code: number | null, signal: NodeJS.Signals | null }> =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve({ code: c.exitCode, signal: c.signalCode })
    : new Promise(resolve => c.once('exit', (code, signal) => resolve({ code, signal })))

test('agent process killed with SIGKILL: last will OFFLINE retained; after restart the seq keeps increasing', { timeout: 60_000 }, async t => {
  const mq = await startMosquitto()
  t.after(() => mq.stop())
  const stateDir = mkdtempSync(join(tmpdir(), 'rs-agent-crash-'))
  const frames = await collect(mq.url, rigTopic(TENANT, RIG, 'frames'))
  const state = await collect(mq.url, rigTopic(TENANT, RIG, 'state'))
  t.after(() => frames.close())
  t.after(() => state.close())
  const status = (i: number): number => RigState.decode(state.messages[i].payload).status

  const first = agentProcess(mq.url, stateDir, ['--source', 'replay', '--speed', '20'])
  t.after(() => { if (first.exitCode === null) first.kill('SIGKILL') })
  await state.until(m => m.length >= 1)
  assert.equal(status(0), RigState.Status.ONLINE, 'birth')
  await frames.until(m => m.length >= 10)
  first.kill('SIGKILL')
  assert.equal((await exited(first)).signal, 'SIGKILL')
  await state.until(m => m.length >= 2)
  assert.equal(status(1), RigState.Status.OFFLINE, 'the broker published the last will')
  const late = await collect(mq.url, rigTopic(TENANT, RIG, 'state'))
  await late.until(m => m.length >= 1)
  await late.close()
  assert.equal(late.messages[0].retain, true)
  assert.equal(RigState.decode(late.messages[0].payload).status, RigState.Status.OFFLINE, 'the will is retained')

  const before = frames.messages.map(m => int64(FrameBatch.decode(m.payload).seq))
  const lastBefore = Math.max(...before)
  const second = agentProcess(mq.url, stateDir, ['--source', 'simulator', '--seed', '3', '--speed', '0', '--max-inflight', '4'])
  t.after(() => { if (second.exitCode === null) second.kill('SIGKILL') })
  const n0 = frames.messages.length
  await frames.until(m => m.length >= n0 + 20)
  await state.until(m => m.length >= 3)
  assert.equal(status(2), RigState.Status.ONLINE, 'birth again')
  second.kill('SIGTERM')
  assert.equal((await exited(second)).code, 0, 'SIGTERM stops the agent cleanly')
  await state.until(m => m.length >= 4)
  assert.equal(status(3), RigState.Status.OFFLINE, 'graceful stop publishes OFFLINE')

  const seqs = frames.messages.map(m => int64(FrameBatch.decode(m.payload).seq))
  assert.deepEqual(before, Array.from({ length: before.length }, (_, i) => i + 1), 'before the kill: 1..n')
  // The disk spool sends again what the killed agent had not seen acknowledged (at-least-once):
  // a seq may arrive twice, but always with the same frame, never reused for a new one.
  const bySeq = new Map<number, Buffer>()
  for (const m of frames.messages) {
    const seq = int64(FrameBatch.decode(m.payload).seq)
    const seen = bySeq.get(seq)
    if (seen) assert.ok(seen.equals(m.payload), `seq ${seq} arrived twice with different frames`)
    else bySeq.set(seq, m.payload)
  }
  const max = Math.max(...seqs)
  assert.deepEqual([...bySeq.keys()].sort((a, b) => a - b), Array.from({ length: max }, (_, i) => i + 1), 'no seq missing across the kill (the synced spool leaves no gap)')
  const fresh = seqs.slice(n0).filter(s => s > lastBefore)
  for (let i = 1; i < fresh.length; i++) assert.ok(fresh[i] > fresh[i - 1], `new seq ${fresh[i]} after ${fresh[i - 1]}`)
})
