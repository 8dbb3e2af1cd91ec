// npm run bench -- edge [--quick] [--json] [--duration S] [--backend ts|auto|node|web] [--no-baseline] [--node-options "..."] [--no-agent-flags] [--compare-ort]
// One edge agent as its own process (`rigstream agent --config <file>`), the full reference channel
// set (simulator, 728 samples/s, real time) and local diagnosis every 60 s load cycle, against a
// real broker (Mosquitto; aedes when Mosquitto is not installed). The bench samples the agent's
// /proc/<pid>/stat (utime + stime) and /proc/<pid>/status (VmRSS, VmHWM) once a second: CPU as a
// percent of one core over the measured span (after a warm-up), RSS of the agent process alone.
// RSS (the goal's figure) is VmRSS, all of it; the breakdown at its largest sample (RssAnon /
// RssFile from /proc/<pid>/status, Pss from smaps_rollup) says how much of it is the process's
// own memory and how much is pages of the node binary and libraries, shared with other processes.
// The agent runs as deployed: `node <agent node flags> bin/rigstream.js agent --config <file>`,
// the ExecStart of deploy/systemd/rigstream-agent.service (flags from edge-agent/src/node-flags.ts),
// with its default model backend unless --backend says otherwise and the ops endpoint on; /healthz
// says which backend it used, /proc/<pid>/cmdline which flags. --no-agent-flags runs node without
// them (RS_AGENT_REEXEC=0), --node-options adds flags. --compare-ort adds a run of the agent as it
// ran before the TypeScript backend and the flags existed (onnxruntime-node, no agent flags).
// Baseline in the same run: the same agent with diagnosis off (frames only), so the cost of the
// model is the difference. A subscriber counts what arrives, so an idle agent cannot look cheap.
// Spool write/replay throughput comes from the spool's own bench function when the spool
// provides one (edge-agent/src/spool/bench.ts, `benchSpool`); otherwise the disk spool is
// measured here through its Spool interface, and without a disk spool the figures are null.
// The last stdout line is one JSON object.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import mqtt from 'mqtt'
import { repoPath } from '../common/src/paths.js'
import { Prediction, rigTopic } from '../schemas/src/index.js'
import { startMosquitto } from '../tests/support/mosquitto.js'
import { startAedes } from '../edge-agent/test/helpers.js'
import { AGENT_NODE_FLAGS } from '../edge-agent/src/node-flags.js'

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' }, duration: { type: 'string' }, backend: { type: 'string' }, 'no-baseline': { type: 'boolean' }, 'node-options': { type: 'string' }, 'no-agent-flags': { type: 'boolean' }, 'compare-ort': { type: 'boolean' } } })
// undefined: the agent's own default (model.backend in edge-agent/src/config.ts)
const BACKEND = args.backend
if (BACKEND !== undefined && !['ts', 'auto', 'node', 'web'].includes(BACKEND)) throw new Error(`--backend must be ts, auto, node or web, got ${BACKEND}`)
const quick = args.quick === true
// a full run covers 5 load cycles (5 inferences); quick covers at least 1
const DURATION_S = Number(args.duration ?? (quick ? 75 : 320))
const BASELINE_S = quick ? 30 : 90
const WARMUP_S = 10
const CLK_TCK = 100 // sysconf(_SC_CLK_TCK) on Linux x86-64 and arm64
const say = (s: string): void => { process.stderr.write(s + '\n') }

interface RunResult {
  seconds: number
  cpuPercent: number
  rssMB: number
  rssMeanMB: number
  peakRssMB: number
  framesReceived: number
  samplesPerSecond: number
  predictionsReceived: number
  modelVersions: string[]
  /** at the largest RSS sample: anonymous (the process's own) and file-backed (binary, libraries) resident MB; Pss from smaps_rollup */
  rssAnonMB: number | null
  rssFileMB: number | null
  pssMB: number | null
  /** what /healthz reported: backend and provider of the model in use (null: diagnosis off) */
  backend: string | null
  /** the node flags of the agent process (from /proc/<pid>/cmdline) */
  nodeFlags: string[]
}

interface RunOptions { backend?: string, agentFlags: boolean }

function memBreakdown (pid: number): { anonKB: number, fileKB: number, pssKB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    const kb = (text: string, k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 'NaN')
    return { anonKB: kb(status, 'RssAnon'), fileKB: kb(status, 'RssFile'), pssKB: kb(rollup, 'Pss') }
  } catch {
    return undefined
  }
}

async function freePort (): Promise<number> {
  const srv = createServer()
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as AddressInfo).port
  await new Promise(resolve => srv.close(resolve))
  return port
}

function procStat (pid: number): { cpuTicks: number, rssKB: number, hwmKB: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // fields after the ")" that closes the command name: state is field 3, utime 14, stime 15
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpuTicks = Number(f[11]) + Number(f[12])
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 'NaN')
    const rssKB = kb('VmRSS')
    // an exited process not yet reaped (zombie) has no VmRSS: that sample is not one
    if (Number.isNaN(rssKB)) return undefined
    return { cpuTicks, rssKB, hwmKB: kb('VmHWM') }
  } catch {
    return undefined
  }
}

async function runAgent (brokerUrl: string, rig: string, seconds: number, diagnosis: boolean, ro: RunOptions = { backend: BACKEND, agentFlags: args['no-agent-flags'] !== true }): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-edge-'))
  const config = join(dir, 'agent.json')
  const opsPort = await freePort()
  writeFileSync(config, JSON.stringify({
    broker: brokerUrl,
    tenant: 'bench',
    rig,
    stateDir: join(dir, 'state'),
    speed: 1,
    source: { kind: 'simulator', seed: 7 },
    model: { enabled: diagnosis, ...(ro.backend === undefined ? {} : { backend: ro.backend }) },
    // as in deploy/systemd/agent.example.json
    ops: { port: opsPort, host: '127.0.0.1' }
  }))
  const sub = await mqtt.connectAsync(brokerUrl, { protocolVersion: 4, clientId: `bench-sub-${rig}`, reconnectPeriod: 0 })
  let frames = 0
  let samples = 0
  const versions = new Set<string>()
  let predictions = 0
  const framesTopic = rigTopic('bench', rig, 'frames')
  sub.on('message', (topic, payload) => {
    if (topic === framesTopic) {
      frames++
      samples += 728
    } else {
      predictions++
      versions.add(Prediction.decode(payload).modelVersion)
    }
  })
  await sub.subscribeAsync([framesTopic, rigTopic('bench', rig, 'predictions')], { qos: 0 })

  const nodeArgs = [...(ro.agentFlags ? AGENT_NODE_FLAGS : []), ...(args['node-options']?.split(/\s+/).filter(Boolean) ?? [])]
  const child = spawn(process.execPath, [...nodeArgs, repoPath('bin', 'rigstream.js'), 'agent', '--config', config, '--duration', String(seconds)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // RS_AGENT_REEXEC=0: without the agent flags, run as started rather than in a child with them
    env: { ...process.env, LOG_LEVEL: 'warn', RS_LOG_LEVEL: 'warn', NODE_OPTIONS: '', ...(ro.agentFlags ? {} : { RS_AGENT_REEXEC: '0' }) }
  })
  let stderr = ''
  child.stderr.on('data', d => { stderr = (stderr + String(d)).slice(-4000) })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  const pid = child.pid!
  let nodeFlags: string[] = []
  const t0 = Date.now()
  let start: { t: number, ticks: number, frames: number } | undefined
  let last: { t: number, ticks: number, frames: number } | undefined
  const rss: number[] = []
  let hwm = 0
  let breakdown: ReturnType<typeof memBreakdown>
  let backend: string | null = null
  let done = false
  void exited.then(() => { done = true })
  while (!done) {
    await new Promise(resolve => setTimeout(resolve, 1000))
    const s = procStat(pid)
    if (s === undefined || done) break
    const now = { t: Date.now(), ticks: s.cpuTicks, frames }
    hwm = Math.max(hwm, s.hwmKB)
    if ((now.t - t0) / 1000 < WARMUP_S) continue
    start ??= now
    last = now
    // the breakdown of the largest sample (the one the goal's figure is): at the end of the span the
    // agent may already be stopping and freeing memory
    if (rss.length === 0 || s.rssKB > Math.max(...rss)) breakdown = memBreakdown(pid) ?? breakdown
    rss.push(s.rssKB)
    if (nodeFlags.length === 0) {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
        nodeFlags = argv.slice(1, argv.findIndex(a => a.endsWith('rigstream.js')))
      } catch {}
    }
    if (diagnosis && backend === null) {
      const health = await fetch(`http://127.0.0.1:${opsPort}/healthz`).then(async r => await r.json() as { model?: { backend: string, provider: string } }, () => undefined)
      if (health?.model) backend = `${health.model.backend}/${health.model.provider}`
    }
  }
  const code = await exited
  await sub.endAsync()
  if (code !== 0) throw new Error(`agent exited with ${code}: ${stderr}`)
  if (start === undefined || last === undefined || last.t <= start.t) throw new Error('run too short to measure')
  const span = (last.t - start.t) / 1000
  const mb = (kb: number): number => Math.round(kb / 1024 * 10) / 10
  return {
    seconds: Math.round(span),
    cpuPercent: Math.round((last.ticks - start.ticks) / CLK_TCK / span * 100 * 100) / 100,
    rssMB: mb(Math.max(...rss)),
    rssMeanMB: mb(rss.reduce((a, b) => a + b, 0) / rss.length),
    peakRssMB: mb(hwm),
    framesReceived: frames,
    samplesPerSecond: Math.round((last.frames - start.frames) * 728 / span),
    predictionsReceived: predictions,
    modelVersions: [...versions],
    rssAnonMB: breakdown ? mb(breakdown.anonKB) : null,
    rssFileMB: breakdown ? mb(breakdown.fileKB) : null,
    pssMB: breakdown ? mb(breakdown.pssKB) : null,
    backend,
    nodeFlags
  }
}

interface SpoolResult { writeFramesPerSec: number | null, replayFramesPerSec: number | null, note?: string, [k: string]: unknown }

async function spoolBench (): Promise<SpoolResult> {
  const path = repoPath('dist', 'edge-agent', 'src', 'spool', 'bench.js')
  if (existsSync(path)) {
    const mod = await import(path) as { benchSpool?: (o: { quick: boolean }) => Promise<SpoolResult> }
    if (typeof mod.benchSpool === 'function') return { ...(await mod.benchSpool({ quick })), source: 'benchSpool (edge-agent/src/spool/bench.ts)' }
  }
  // The spool offers no bench function: measure the disk spool through its public interface.
  const diskPath = repoPath('dist', 'edge-agent', 'src', 'spool', 'disk.js')
  if (!existsSync(diskPath)) return { writeFramesPerSec: null, replayFramesPerSec: null, note: 'no disk spool (edge-agent/src/spool/disk.ts) to measure' }
  const { createDiskSpool } = await import(diskPath) as { createDiskSpool: (o: { dir: string, fsync?: string }) => Promise<{ append: (f: { seq: number, payload: Uint8Array }) => Promise<number>, take: () => { seq: number } | undefined, ack: (seq: number) => Promise<void>, close: () => Promise<void> }> }
  const { createSimulator } = await import('../edge-agent/src/sources/simulator.js')
  const { toFrameBatch } = await import('../edge-agent/src/framing.js')
  const sim = createSimulator({ seed: 3, startUs: 1_795_000_000_000_000 })
  const payloads = Array.from({ length: 60 }, (_, i) => toFrameBatch('bench', 'spool', i + 1, sim.next(), 0))
  const N = quick ? 2_000 : 10_000
  const out: SpoolResult = { writeFramesPerSec: null, replayFramesPerSec: null, source: 'bench/edge.ts through the Spool interface (createDiskSpool)', frames: N, frameBytes: payloads[0]!.length }
  for (const fsync of ['always', 'never']) {
    const dir = mkdtempSync(join(tmpdir(), 'rs-bench-spool-'))
    let spool = await createDiskSpool({ dir, fsync })
    // the agent's pattern: one append at a time, each awaited before the frame is published
    let t0 = performance.now()
    for (let i = 1; i <= N; i++) await spool.append({ seq: i, payload: payloads[i % payloads.length]! })
    const write = N / ((performance.now() - t0) / 1000)
    await spool.close()
    // replay after a restart: open (scan the segments), hand every frame out, ack it
    t0 = performance.now()
    spool = await createDiskSpool({ dir, fsync })
    let n = 0
    for (let f = spool.take(); f !== undefined; f = spool.take()) { await spool.ack(f.seq); n++ }
    const replay = n / ((performance.now() - t0) / 1000)
    await spool.close()
    if (n !== N) throw new Error(`spool replay gave ${n} frames, ${N} were written`)
    out[`fsync_${fsync}`] = { writeFramesPerSec: Math.round(write), replayFramesPerSec: Math.round(replay) }
    if (fsync === 'always') { out.writeFramesPerSec = Math.round(write); out.replayFramesPerSec = Math.round(replay) }
  }
  return out
}

let broker: { url: string, stop: () => Promise<void>, kind: string }
try {
  const m = await startMosquitto()
  broker = { url: m.url, stop: m.stop, kind: 'mosquitto' }
} catch {
  const a = await startAedes()
  broker = { url: a.url, stop: a.close, kind: 'aedes' }
}
say(`# broker: ${broker.kind} at ${broker.url}; agent with diagnosis for ${DURATION_S} s (first ${WARMUP_S} s not measured)`)
// the broker is stopped however the runs end (a failed run used to leave a Mosquitto behind)
let withModel: RunResult
let baseline: RunResult | null = null
let ort: RunResult | null = null
try {
  withModel = await runAgent(broker.url, 'edge-1', DURATION_S, true)
  say(`  with diagnosis: ${JSON.stringify(withModel)}`)
  if (args['no-baseline'] !== true) {
    say(`# baseline: the same agent with diagnosis off, ${BASELINE_S} s`)
    baseline = await runAgent(broker.url, 'edge-base', BASELINE_S, false)
    say(`  frames only: ${JSON.stringify(baseline)}`)
  }
  if (args['compare-ort'] === true) {
    say(`# comparison: the agent as before (onnxruntime-node, no agent node flags), ${BASELINE_S} s`)
    ort = await runAgent(broker.url, 'edge-ort', BASELINE_S, true, { backend: 'node', agentFlags: false })
    say(`  onnxruntime-node, no flags: ${JSON.stringify(ort)}`)
  }
} finally {
  await broker.stop()
}
const spool = await spoolBench()
say(`# spool: ${JSON.stringify(spool)}`)

const result = {
  bench: 'edge',
  quick,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  broker: broker.kind,
  backend: withModel.backend ?? BACKEND ?? null,
  nodeOptions: args['node-options'] ?? '',
  agentNodeFlags: withModel.nodeFlags,
  rssMB: withModel.rssMB,
  cpuPercent: withModel.cpuPercent,
  spoolWriteFramesPerSec: spool.writeFramesPerSec,
  spoolReplayFramesPerSec: spool.replayFramesPerSec,
  ...(spool.note ? { spoolNote: spool.note } : {}),
  withDiagnosis: withModel,
  baselineNoDiagnosis: baseline,
  ...(ort ? { compareOrtNoFlags: ort } : {}),
  targets: { rssMB: 60, cpuPercent: 2, met: withModel.rssMB <= 60 && withModel.cpuPercent <= 2 }
}
if (!args.json) say(JSON.stringify(result, null, 2))
process.stdout.write(JSON.stringify(result) + '\n')
