// The embedded PostgreSQL of `npm start` and the test runner: stop() must also return when the
// server is already gone (Ctrl-C in a terminal signals the whole process group, so the server may
// exit before the drain reaches it; before, stop() then waited for good and `rigstream start`
// ended with code 13).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '../src/embedded-postgres.js'

const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true } catch { return false } }

test('embedded PostgreSQL: stop() returns when the server has already exited (SIGINT reached it first)', { timeout: 120_000 }, async () => {
  const parent = mkdtempSync(join(tmpdir(), 'rs-epg-'))
  const dir = join(parent, 'pg')
  try {
    const epg = await startEmbeddedPostgres({ dir, persistent: false })
    const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0])
    assert.ok(pid > 0 && alive(pid))
    process.kill(pid, 'SIGINT') // fast shutdown, as Ctrl-C does
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise(resolve => setTimeout(resolve, 50))
    assert.equal(alive(pid), false, 'the server is gone')
    await new Promise(resolve => setTimeout(resolve, 500)) // and its 'exit' event has been
    const stopped = await Promise.race([epg.stop().then(() => 'stopped'), new Promise(resolve => setTimeout(() => resolve('still waiting after 10 s'), 10_000))])
    assert.equal(stopped, 'stopped')
    assert.equal(existsSync(dir), false, 'a non-persistent data directory is removed as stop() would')
  } finally {
    rmSync(parent, { recursive: true, force: true })
  }
})
