// `rigstream ingest` as a real child process (node bin/rigstream.js ingest), for fault tests that
// kill it (SIGKILL) and for the overload bench (its RSS is read from /proc). Its Prometheus
// listener (RS_INGEST_METRICS_PORT=0) gives its counters from outside.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { repoPath } from '../../common/src/paths.js'

export interface IngestProcOptions {
  mqttUrl: string
  databaseUrl: string
  clientId: string
  kafkaBrokers?: string
  /** more environment (RS_INGEST_BATCH_FRAMES, ...) */
  env?: Record<string, string>
  /** ms to wait for "ingest started" (default 60 s) */
  startTimeoutMs?: number
}

export interface IngestProc {
  readonly pid: number
  readonly proc: ChildProcess
  /** the child's Prometheus address (http://host:port/metrics) */
  readonly metricsUrl: string
  /** the counters from /metrics (rigstream_ingest_* without the prefix and _total) */
  metrics (): Promise<Record<string, number>>
  /** resident set size in MB, from /proc/<pid>/status (Linux) */
  rssMB (): number | null
  /** SIGKILL: no drain, nothing acknowledged that was not yet durable */
  kill (): Promise<void>
  /** SIGTERM: drains and exits; resolves with the stats line it prints (null when none) */
  stop (): Promise<Record<string, unknown> | null>
  /** the last lines of its output (for failure messages) */
  tail (): string
  /** its log lines at warn level or above (the first 500) */
  readonly warnings: string[]
}

export async function spawnIngest (o: IngestProcOptions): Promise<IngestProc> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: o.databaseUrl,
    MQTT_URL: o.mqttUrl,
    MQTT_USERNAME: 'svc:ingest',
    MQTT_PASSWORD: 'x',
    RS_INGEST_CLIENT_ID: o.clientId,
    RS_INGEST_METRICS_PORT: '0',
    RS_LOG_LEVEL: 'info',
    ...o.env
  }
  delete env.KAFKA_BROKERS
  if (o.kafkaBrokers) env.KAFKA_BROKERS = o.kafkaBrokers
  const proc = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'ingest'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let statsLine = ''
  const lines: string[] = []
  const warnings: string[] = []
  let metricsUrl = ''
  let started = false
  const onLine = (line: string): void => {
    if (line.trim() === '') return
    if (line.startsWith('{"received":')) statsLine = line
    if (/^\{"level":(4|5|6)\d/.test(line) && warnings.length < 500) warnings.push(line.slice(0, 2000))
    lines.push(line.slice(0, 2000))
    if (lines.length > 60) lines.shift()
    if (line.includes('"ingest started"')) started = true
    const m = /"url":"(http:\/\/[^"]+)".*"metrics listening"/.exec(line)
    if (m) metricsUrl = m[1]
  }
  const reader = (chunk: Buffer): void => {
    out += String(chunk)
    let nl
    while ((nl = out.indexOf('\n')) >= 0) { onLine(out.slice(0, nl)); out = out.slice(nl + 1) }
  }
  proc.stdout!.on('data', reader)
  proc.stderr!.on('data', reader)
  const exited = new Promise<void>(resolve => proc.once('exit', () => resolve()))
  const tail = (): string => lines.slice(-20).join('\n')

  const deadline = Date.now() + (o.startTimeoutMs ?? 60_000)
  while (!(started && metricsUrl)) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`rigstream ingest exited (${proc.exitCode ?? proc.signalCode}) before it started:\n${tail()}`)
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`rigstream ingest did not start:\n${tail()}`) }
    await new Promise(resolve => setTimeout(resolve, 50))
  }

  const gone = (): boolean => proc.exitCode !== null || proc.signalCode !== null
  return {
    pid: proc.pid!,
    proc,
    metricsUrl,
    async metrics () {
      const text = await (await fetch(metricsUrl)).text()
      const r: Record<string, number> = {}
      for (const line of text.split('\n')) {
        const m = /^rigstream_ingest_([a-z_]+?)(?:_total)?(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line)
        if (m) r[m[1]] = (r[m[1]] ?? 0) + Number(m[2])
      }
      return r
    },
    rssMB () {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))
        return m ? Number(m[1]) / 1024 : null
      } catch { return null }
    },
    async kill () {
      if (gone()) return
      proc.kill('SIGKILL')
      await exited
    },
    async stop () {
      if (!gone()) { proc.kill('SIGTERM'); await exited }
      try { return JSON.parse(statsLine) as Record<string, unknown> } catch { return null }
    },
    tail,
    warnings
  }
}
