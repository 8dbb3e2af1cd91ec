// Parent side of tests/support/agent-proc.ts: runs edge agents as real child processes and keeps
// their latest stats and their log lines.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { AgentStats } from '../../edge-agent/src/agent.js'
import type { AgentProcOptions } from './agent-proc.js'

const SCRIPT = fileURLToPath(new URL('./agent-proc.js', import.meta.url))

export interface AgentProc {
  readonly options: AgentProcOptions
  readonly proc: ChildProcess
  /** the latest STATS line (undefined before the first) */
  stats: AgentStats | undefined
  /** parsed pino lines */
  logs: Array<Record<string, unknown>>
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
  /** SIGKILL and wait for the exit */
  kill (): Promise<void>
  /** SIGTERM (graceful stop) and wait; resolves with the final stats */
  stop (): Promise<AgentStats | undefined>
}

export function spawnAgent (options: AgentProcOptions, env: NodeJS.ProcessEnv = {}): AgentProc {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, RS_LOG_LEVEL: 'info', ...env }
  for (const k of Object.keys(childEnv)) if (k.startsWith('RS_AGENT_')) delete childEnv[k]
  const proc = spawn(process.execPath, [SCRIPT, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'], env: childEnv })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => proc.once('exit', (code, signal) => resolve({ code, signal })))
  const closed = new Promise<void>(resolve => proc.stdout!.once('close', resolve))
  const a: AgentProc = {
    options,
    proc,
    stats: undefined,
    logs: [],
    exited,
    async kill () {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await exited
      await closed
    },
    async stop () {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      await exited
      await closed
      return a.stats
    }
  }
  createInterface({ input: proc.stdout! }).on('line', line => {
    if (line.startsWith('STATS ')) a.stats = JSON.parse(line.slice(6)) as AgentStats
    else if (line.startsWith('{')) { try { a.logs.push(JSON.parse(line) as Record<string, unknown>) } catch {} }
  })
  return a
}

/** Polls until cond() holds; throws naming `what` after timeoutMs. */
export async function until (cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(r => setTimeout(r, 100))
  }
}
