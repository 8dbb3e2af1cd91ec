// The agent's node flags: the systemd unit passes them, and `rigstream agent` started without them
// runs the agent in a child that has them (bin/rigstream.js), which stops when the parent is told to.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoPath } from '../../common/src/paths.js'
import { AGENT_NODE_FLAGS, missingAgentFlags } from '../src/node-flags.js'
import { startAedes } from './helpers.js'

test('node flags: the systemd unit starts node with every agent flag, before the script', () => {
  const unit = readFileSync(repoPath('deploy', 'systemd', 'rigstream-agent.service'), 'utf8')
  const exec = unit.split('\n').find(l => l.startsWith('ExecStart='))
  assert.ok(exec, 'the unit has an ExecStart line')
  const args = exec.slice('ExecStart='.length).split(/\s+/)
  const script = args.indexOf('/opt/rigstream/bin/rigstream.js')
  assert.ok(script > 0)
  assert.equal(args[script + 1], 'agent')
  assert.deepEqual(missingAgentFlags(args.slice(1, script), ''), [], `ExecStart lacks some of ${AGENT_NODE_FLAGS.join(' ')}`)
  assert.ok(AGENT_NODE_FLAGS.length > 0)
})

test('node flags: what is missing, from the command line and NODE_OPTIONS', () => {
  assert.deepEqual(missingAgentFlags([], ''), [...AGENT_NODE_FLAGS])
  assert.deepEqual(missingAgentFlags([...AGENT_NODE_FLAGS], ''), [])
  assert.deepEqual(missingAgentFlags([], AGENT_NODE_FLAGS.join(' ')), [])
  assert.deepEqual(missingAgentFlags(['--max_semi_space_size=1'], ''), AGENT_NODE_FLAGS.filter(f => f !== '--max-semi-space-size=1'), 'V8 spells flags with _ or -')
})

/** starts `node bin/rigstream.js agent` without node flags; resolves with its "agent started" log line */
async function startCli (t: { after: (fn: () => unknown) => void }, brokerUrl: string, rig: string, extraEnv: Record<string, string>): Promise<{ child: ReturnType<typeof spawn>, started: Record<string, unknown>, exited: Promise<number | null>, output: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-agent-flags-'))
  const config = join(dir, 'agent.json')
  writeFileSync(config, JSON.stringify({ broker: brokerUrl, tenant: 'acme', rig, stateDir: join(dir, 'state'), speed: 0, ops: { port: 0 } }))
  const env = { ...process.env, RS_LOG_LEVEL: 'info', NODE_OPTIONS: '', ...extraEnv }
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'agent', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let out = ''
  child.stdout!.on('data', d => { out += String(d) })
  child.stderr!.on('data', d => { out += String(d) })
  const started = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const check = (): void => {
      for (const line of out.split('\n')) {
        if (line.includes('"agent started"')) { resolve(JSON.parse(line) as Record<string, unknown>); return }
      }
      if (child.exitCode !== null) reject(new Error(`agent exited: ${out}`))
      else setTimeout(check, 100)
    }
    check()
  })
  return { child, started, exited, output: () => out }
}

test('rigstream agent without the flags runs itself again with them; SIGTERM to it stops the agent gracefully', { timeout: 90_000 }, async t => {
  const broker = await startAedes()
  t.after(() => broker.close())
  const { child, started, exited, output } = await startCli(t, broker.url, 'flags-1', {})
  assert.notEqual(started.pid, child.pid, 'the agent runs in a child process')
  const health = await (await fetch(`${started.ops as string}/healthz`)).json() as { node: { flags: string[] }, model: { backend: string } }
  assert.deepEqual(missingAgentFlags(health.node.flags, ''), [], `the agent runs with ${AGENT_NODE_FLAGS.join(' ')}, has ${health.node.flags.join(' ')}`)
  assert.equal(health.model.backend, 'ts', 'the edge default backend')
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
  assert.match(output(), /"msg":"agent exited"/, 'the agent stopped gracefully')
})

test('RS_AGENT_REEXEC=0: rigstream agent runs as started, in one process, without the flags', { timeout: 90_000 }, async t => {
  const broker = await startAedes()
  t.after(() => broker.close())
  const { child, started, exited, output } = await startCli(t, broker.url, 'flags-2', { RS_AGENT_REEXEC: '0' })
  assert.equal(started.pid, child.pid)
  const health = await (await fetch(`${started.ops as string}/healthz`)).json() as { node: { flags: string[] } }
  assert.deepEqual(health.node.flags, [])
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
  assert.match(output(), /"msg":"agent exited"/)
})
