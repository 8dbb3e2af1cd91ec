// A real Apache Kafka broker (single node, KRaft) for tests and benches, started through
// deploy/kafka/kafka.sh (which fetches the jars with Maven the first time). Nothing is printed to
// stdout: the script's stderr is kept and shown only when a start fails.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../common/src/net.js'
import { repoPath } from '../../common/src/paths.js'

export const KAFKA_SCRIPT = repoPath('deploy', 'kafka', 'kafka.sh')

export interface StartedKafka {
  /** bootstrap address(es), comma-separated: "127.0.0.1:PORT" */
  brokers: string
  stop (): Promise<void>
}

/**
 * One broker process with a fixed port and data directory: stop() and start() again bring it
 * back at the same address with the same topics and data (for fault tests).
 */
export interface KafkaProcess extends StartedKafka {
  readonly port: number
  readonly dir: string
  /** the broker JVM's pid while it runs */
  readonly pid: number | null
  readonly running: boolean
  /** starts (or restarts) the broker; resolves once it accepts requests */
  start (): Promise<void>
  /** stops it: SIGTERM (controlled shutdown), or SIGKILL with `{ kill: true }`; data stays */
  stop (opts?: { kill?: boolean }): Promise<void>
  /** stops it for good and removes its data directory (when this helper created it) */
  destroy (): Promise<void>
}

export interface KafkaProcessOptions {
  /** default: a free port */
  port?: number
  /** default: a new temporary directory, removed by destroy() */
  dir?: string
  /** seconds to wait for readiness (default 180: the first start may include the Maven fetch) */
  timeoutS?: number
}

/**
 * The broker tests use. The runner (tests/run.js) starts one for the whole run and passes
 * RS_TEST_KAFKA_BROKERS; then this returns that address and stop() does nothing. Otherwise (a
 * test file run alone) it starts a broker of its own, which stop() removes with its data.
 * `own: true` always starts a new broker (for tests that stop or kill it).
 */
export async function startKafka (opts: KafkaProcessOptions & { own?: boolean } = {}): Promise<StartedKafka> {
  const shared = process.env.RS_TEST_KAFKA_BROKERS
  if (shared && !opts.own) return { brokers: shared, stop: async () => {} }
  const k = await createKafkaProcess(opts)
  await k.start()
  return { brokers: k.brokers, stop: () => k.destroy() }
}

/** A broker process that is not started yet: call start(). */
export async function createKafkaProcess (opts: KafkaProcessOptions = {}): Promise<KafkaProcess> {
  const port = opts.port ?? await freePort()
  let controllerPort = await freePort()
  while (controllerPort === port) controllerPort = await freePort()
  const ownDir = opts.dir === undefined
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'rs-kafka-'))
  const timeoutS = opts.timeoutS ?? 180
  let pid: number | null = null

  const proc: KafkaProcess = {
    port,
    dir,
    brokers: `127.0.0.1:${port}`,
    get pid () { return pid },
    get running () { return pid !== null && alive(pid) },
    async start () {
      const out = await script(['start', '--port', String(port), '--controller-port', String(controllerPort),
        '--dir', dir, '--watch-pid', String(process.pid), '--timeout', String(timeoutS)], (timeoutS + 30) * 1000)
      if (!out.stdout.includes(`KAFKA_BROKERS=127.0.0.1:${port}`)) throw new Error(`kafka.sh start gave no address:\n${out.stderr}`)
      pid = readPid(dir)
    },
    async stop (o: { kill?: boolean } = {}) {
      await script(['stop', '--dir', dir, ...(o.kill ? ['--kill'] : [])], 60_000)
      pid = null
    },
    async destroy () {
      await proc.stop()
      if (ownDir) rmSync(dir, { recursive: true, force: true })
    }
  }
  return proc
}

/** Stops the broker (SIGKILL when `kill`), waits `downMs`, starts it again on the same port and data. */
export async function restartKafka (k: KafkaProcess, opts: { kill?: boolean, downMs?: number } = {}): Promise<void> {
  await k.stop({ kill: opts.kill })
  if (opts.downMs) await new Promise(resolve => setTimeout(resolve, opts.downMs))
  await k.start()
}

function readPid (dir: string): number | null {
  try {
    const n = Number(readFileSync(join(dir, 'kafka.pid'), 'utf8').trim())
    return Number.isInteger(n) && n > 0 ? n : null
  } catch { return null }
}

function alive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch { return false }
}

function script (args: string[], timeoutMs: number): Promise<{ stdout: string, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [KAFKA_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => { stdout += String(d) })
    child.stderr.on('data', d => { stderr += String(d) })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', err => { clearTimeout(timer); reject(err) })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve({ stdout, stderr })
      else reject(new Error(`deploy/kafka/kafka.sh ${args[0]} failed (${signal ?? 'exit ' + code}):\n${stderr.slice(-4000)}`))
    })
  })
}
