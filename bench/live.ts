// npm run bench -- live [--quick] [--json] [--rigs N] [--dashboards N] [--browsers N] [--seconds S] [--after-commit]
// The live push at fleet scale: N rigs (default 500), each publishing one frame a second of the full
// reference channel set (728 samples) to a real Mosquitto at QoS 1 → rigstream ingest (commit to a
// real embedded PostgreSQL) → the LiveBus → cloud-api's WebSocket hub → D dashboards (default 20).
// Ingest and the api share this process, as in `npm start`; the publishers run in one child
// process, the dashboards in another.
//
// A dashboard is what the page does: it subscribes to every rig with the card channels (PS1, TS1)
// and to one rig (its "selected" one) with every channel. B of the D dashboards (default 2, 1 with
// --quick; 0 when there is no Chromium) are real Chromium pages of the dashboard (playwright-core,
// Debian's /usr/bin/chromium), which render the fleet as they would for a user; the others are
// node `ws` clients that parse every message (JSON.parse) and do nothing else.
//
// What is pushed: as in `npm start`, frames once ingest has validated them (the LiveBus's
// 'frameAccepted'; the device's PUBACK still waits for the commit); --after-commit pushes them
// only once committed (the 'frames' event), the baseline. Both latencies are in every run: the
// push, and sample → commit.
// Latency: arrival of a frames message at the client (Date.now() when the socket's message event
// fires) minus the time of the frame's last sample (window start + 1 s; the publishers send a
// window as it closes, as an agent does). Same clock: everything runs on this machine. Also
// reported: sample → commit (ingest's commit event), and frames the hub dropped for slow clients.
// The inference worker is not running (it is in `npm start`). Auth is off (with auth on the token
// is checked once per socket, at the upgrade). Last line of stdout: one JSON object.
// What the pages cost: chromium.pageMainThread (each page's main-thread busy % over the window, CDP
// Performance metrics) and chromium.cpuPercentAllProcesses (Chromium's processes, from /proc); on
// stderr each page's worst seconds and this process's event-loop stalls, timed within the window.
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import mqtt from 'mqtt'
import pg from 'pg'
import { pino } from 'pino'
import WebSocket from 'ws'
import { LiveBus } from '../common/src/live.js'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { startIngest } from '../ingest/src/service.js'
import { migrate } from '../ingest/src/store/migrate.js'
import { createTelemetryQueries } from '../ingest/src/store/queries.js'
import { startApi } from '../cloud-api/src/server.js'
import { createSimulator } from '../edge-agent/src/sources/simulator.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import { startMosquitto } from '../tests/support/mosquitto.js'
import { percentiles, sleep } from './_stats.js'

const TENANT = 'bench'
const CARD_CHANNELS = ['PS1', 'TS1']
const WINDOW_MS = 1000
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'
const self = fileURLToPath(import.meta.url)
const argv = process.argv.slice(2)
const arg = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined }
const rigName = (i: number): string => `r${String(i).padStart(5, '0')}`

interface LoadSpec { url: string, rigs: number, seconds: number, connections: number }
interface ClientSpec { httpUrl: string, rigs: number, ws: number, browsers: number, warmupS: number, seconds: number, resultFile: string }
interface ClientResult { kind: 'ws' | 'chromium', latencies: number[], expected: number, lagDropped: number, mainThread?: PageMainThread }
/** a Chromium page's main thread over the measured window (CDP Performance.getMetrics): % of wall time */
interface PageMainThread { busyPct: number, scriptPct: number, layoutPct: number, stylePct: number, growth: Record<string, [number, number]> }
interface ClientOutput { fromMs: number, toMs: number, results: ClientResult[], chromiumCpuPct?: number }
/** a frame later than this after its sample time counts as missing */
const GRACE_MS = 30_000

if (argv[0] === '--load-child') await loadChild(JSON.parse(argv[1]!) as LoadSpec)
else if (argv[0] === '--client-child') await clientChild(JSON.parse(argv[1]!) as ClientSpec)
else await parent()

async function parent (): Promise<void> {
  const quick = argv.includes('--quick')
  const json = argv.includes('--json')
  const say = (s: string): void => { (json ? process.stderr : process.stdout).write(s + '\n') }
  const rigs = Number(arg('--rigs') ?? 500)
  const dashboards = Number(arg('--dashboards') ?? 20)
  const haveChromium = existsSync(CHROMIUM)
  const browsers = Math.min(dashboards, haveChromium ? Number(arg('--browsers') ?? (quick ? 1 : 2)) : 0)
  const seconds = Number(arg('--seconds') ?? (quick ? 20 : 60))
  const warmup = quick ? 15 : 20
  // what the hub pushes: frames once ingest accepted them (as npm start does) or once committed (--after-commit)
  const liveFrames: 'accepted' | 'committed' = argv.includes('--after-commit') ? 'committed' : 'accepted'
  const log = pino({ level: 'warn' }, pino.destination(2)) // stderr: stdout's last line is the result

  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-live-'))
  const epg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), persistent: false })
  const mosq = await startMosquitto()
  const children: ChildProcess[] = []
  const closers: Array<() => Promise<void>> = []
  try {
    const url = await epg.createDatabase('bench')
    await migrate(url, log)
    const pool = new pg.Pool({ connectionString: url, max: 4 })
    closers.push(async () => await pool.end())
    say(`PostgreSQL ${epg.port}, Mosquitto ${mosq.port}; ${rigs} rigs x 728 samples/s; ${dashboards} dashboards (${browsers} Chromium pages, ${dashboards - browsers} ws clients)${haveChromium ? '' : ` — no Chromium at ${CHROMIUM}`}`)

    const bus = new LiveBus()
    // sample time and commit latency of every stored frame; the clients' window picks them later
    const committed: Array<[number, number]> = []
    // where a frame's time goes, per stage (sample time of the frame, ms in the stage):
    // publish = sample → the publisher's send (its sentUs), broker = send → validated by ingest
    // (Mosquitto's queue and ingest's socket), commit = validated → committed
    const stages = { publish: [] as Array<[number, number]>, broker: [] as Array<[number, number]>, commit: [] as Array<[number, number]> }
    const acceptedAt = new Map<string, number>()
    bus.on('frameAccepted', f => {
      const now = Date.now()
      const sampleMs = (Number(f.batch.windowStartUs) + Number(f.batch.windowUs)) / 1000
      const sentMs = Number(f.batch.sentUs) / 1000
      stages.publish.push([sampleMs, sentMs - sampleMs])
      stages.broker.push([sampleMs, now - sentMs])
      acceptedAt.set(f.rig + '/' + f.seq, now)
    })
    bus.on('frames', f => {
      const now = Date.now()
      const sampleMs = (Number(f.batch.windowStartUs) + Number(f.batch.windowUs)) / 1000
      committed.push([sampleMs, now - sampleMs])
      const key = f.rig + '/' + f.seq
      const a = acceptedAt.get(key)
      if (a !== undefined) { stages.commit.push([sampleMs, now - a]); acceptedAt.delete(key) }
    })
    // this process's event loop (ingest + api + hub): its delay is a wait every stage shares
    const loopDelay = monitorEventLoopDelay({ resolution: 10 })
    const ingest = await startIngest({ mqttUrl: mosq.url, username: 'svc:ingest', password: 'x', databaseUrl: url, bus, log, clientId: 'bench-live-ingest' })
    closers.push(async () => await ingest.close())
    const api = await startApi({ port: 0, queries: createTelemetryQueries(pool), bus, log, live: { frames: liveFrames } })
    closers.push(async () => await api.close())

    const load = startChild(['--load-child', JSON.stringify({ url: mosq.url, rigs, seconds: warmup + seconds + 120, connections: 8 } satisfies LoadSpec)])
    children.push(load.child)
    // the rigs exist for the api once their first frame is stored: then the dashboards connect
    const t0 = Date.now()
    while (ingest.stats().stored < rigs && Date.now() - t0 < 30_000) await sleep(200)
    say(`${ingest.stats().stored} frames stored; dashboards connect, ${warmup} s warm-up, then ${seconds} s measured`)
    const resultFile = join(dir, 'clients.json')
    const clients = startChild(['--client-child', JSON.stringify({ httpUrl: api.url, rigs, ws: dashboards - browsers, browsers, warmupS: warmup, seconds, resultFile } satisfies ClientSpec)])
    children.push(clients.child)
    const cpu0 = process.cpuUsage()
    const tm = performance.now()
    const load0 = loadavg()[0]
    loopDelay.enable()
    // stalls of this process's event loop (> 150 ms between 20 ms ticks), with their time: printed
    // against the measured window at the end, next to the pages' worst seconds
    const stalls: Array<[number, number]> = []
    let lastTick = Date.now()
    const stallTimer = setInterval(() => {
      const now = Date.now()
      if (now - lastTick > 150) {
        stalls.push([now, now - lastTick])
        // RS_BENCH_STALL_LOG=<file>: the stalls on the monotonic clock (µs) that a --cpu-prof profile uses
        if (process.env.RS_BENCH_STALL_LOG) appendFileSync(process.env.RS_BENCH_STALL_LOG, `${process.hrtime.bigint() / 1000n} ${now - lastTick}\n`)
      }
      lastTick = now
    }, 20)
    const progress = setInterval(() => {
      const st = ingest.stats()
      say(`  ${Math.round((performance.now() - tm) / 1000)} s: ${st.stored} frames stored, ${st.received} received, ${st.pendingAcks} held, ${st.batches} batches, loop delay p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms, load ${loadavg()[0].toFixed(1)}, hub ${JSON.stringify(api.hub.stats())}`)
    }, 10_000)
    await clients.done // its window began after its pages had loaded: the load runs on until then
    clearInterval(progress)
    clearInterval(stallTimer)
    const wall = (performance.now() - tm) / 1000
    const cpu = process.cpuUsage(cpu0)
    const { fromMs, toMs, results, chromiumCpuPct } = JSON.parse(readFileSync(resultFile, 'utf8')) as ClientOutput
    load.child.kill('SIGKILL')
    load.done.catch(() => {})
    loopDelay.disable()
    say(`ingest+api event-loop stalls > 150 ms (s after the measured window opened: ms): ${stalls.map(([t, ms]) => `${((t - fromMs) / 1000).toFixed(1)}s: ${ms}`).join(', ') || 'none'}`)
    const inWindow = (xs: Array<[number, number]>): number[] => xs.filter(([t]) => t >= fromMs && t < toMs).map(([, l]) => l)
    const commitLat = inWindow(committed)
    const storedPerSec = Math.round(commitLat.length / ((toMs - fromMs) / 1000))
    const all = results.flatMap(r => r.latencies)
    const byKind = (k: string): Record<string, number | PageMainThread[]> => {
      const rs = results.filter(r => r.kind === k)
      const lat = rs.flatMap(r => r.latencies)
      const expected = rs.reduce((a, r) => a + r.expected, 0)
      const pageMainThread = rs.flatMap(r => r.mainThread ? [r.mainThread] : [])
      return { clients: rs.length, frames: lat.length, expected, missing: expected - lat.length, ...percentiles(lat), lagDropped: rs.reduce((a, r) => a + r.lagDropped, 0), ...(pageMainThread.length ? { pageMainThread } : {}) }
    }
    const out = {
      bench: 'live',
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg1mAtStart: Math.round(load0 * 10) / 10 },
      broker: 'mosquitto',
      liveFrames,
      rigs,
      dashboards,
      seconds,
      framesStoredPerSec: storedPerSec,
      offeredFramesPerSec: rigs,
      frames: all.length,
      missingFrames: results.reduce((a, r) => a + r.expected - r.latencies.length, 0),
      ...percentiles(all),
      sampleToCommit: percentiles(commitLat),
      stages: { sampleToSent: percentiles(inWindow(stages.publish)), sentToAccepted: percentiles(inWindow(stages.broker)), acceptedToCommit: percentiles(inWindow(stages.commit)) },
      eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e5) / 10, p99: Math.round(loopDelay.percentile(99) / 1e5) / 10, max: Math.round(loopDelay.max / 1e5) / 10 },
      loadavg1mAtEnd: Math.round(loadavg()[0] * 10) / 10,
      ws: byKind('ws'),
      chromium: { ...byKind('chromium'), ...(chromiumCpuPct !== undefined ? { cpuPercentAllProcesses: chromiumCpuPct } : {}) },
      apiProcessCpuPercent: Math.round((cpu.user + cpu.system) / 1e4 / wall),
      hub: api.hub.stats()
    }
    say(`live push: p50 ${out.p50LatencyMs} ms, p99 ${out.p99LatencyMs} ms (sample → commit p50 ${out.sampleToCommit.p50LatencyMs} ms, p99 ${out.sampleToCommit.p99LatencyMs} ms); ws ${JSON.stringify(out.ws)}; chromium ${JSON.stringify(out.chromium)}`)
    console.log(JSON.stringify(out))
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    // a saturated ingest may hold a backlog: cleanup is bounded, then the process exits
    for (const c of closers.reverse()) await bounded(c())
    await bounded(mosq.stop())
    await bounded(epg.stop())
    rmSync(dir, { recursive: true, force: true })
  }
  process.exit(0)
}

async function bounded (p: Promise<unknown>, ms = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([p.catch(() => {}), new Promise(resolve => { timer = setTimeout(resolve, ms) })])
  clearTimeout(timer)
}

function startChild (args: string[]): { child: ChildProcess, done: Promise<void> } {
  // the children's own output goes to stderr: stdout's last line is the result
  const child = spawn(process.execPath, [self, ...args], { stdio: ['ignore', process.stderr, 'inherit'] })
  const done = new Promise<void>((resolve, reject) => child.once('exit', code => code === 0 ? resolve() : reject(new Error(`${args[0]} exited with ${code}`))))
  return { child, done }
}

/** The publishers: every rig one frame a second, spread over the second, each sent as its window closes. */
async function loadChild (spec: LoadSpec): Promise<void> {
  const sim = createSimulator({ seed: 7, startUs: Date.now() * 1000 })
  const window = sim.next()
  const conns = await Promise.all(Array.from({ length: spec.connections }, async (_, i) => await mqtt.connectAsync(spec.url, { protocolVersion: 4, clientId: `bench-live-load-${i}`, reconnectPeriod: 0 })))
  const seqs = new Array<number>(spec.rigs).fill(0)
  const SLICES = 20
  const tEnd = Date.now() + spec.seconds * 1000
  let failed = 0
  for (let tick = Math.ceil(Date.now() / 1000) * 1000; tick < tEnd; tick += WINDOW_MS) {
    for (let s = 0; s < SLICES; s++) {
      const at = tick + s * (WINDOW_MS / SLICES)
      const wait = at - Date.now()
      if (wait > 0) await sleep(wait)
      const startUs = (at - WINDOW_MS) * 1000
      const w = { ...window, windowStartUs: startUs, channels: window.channels.map(c => ({ ...c, startUs })) }
      for (let r = s; r < spec.rigs; r += SLICES) {
        seqs[r]!++
        const payload = Buffer.from(toFrameBatch(TENANT, rigName(r), seqs[r]!, w, Date.now() * 1000, sim.profileId))
        conns[r % conns.length]!.publishAsync(`rs/v1/${TENANT}/${rigName(r)}/frames`, payload, { qos: 1 }).catch(() => { failed++ })
      }
    }
  }
  if (failed > 0) process.stderr.write(`load: ${failed} publishes failed\n`)
  await Promise.all(conns.map(async c => await c.endAsync(true)))
  process.exit(0)
}

/** The dashboards: ws clients and Chromium pages; writes their latencies to spec.resultFile. */
async function clientChild (spec: ClientSpec): Promise<void> {
  // as the page connects: batch=1, a server turn's messages in one array (RS_BENCH_LIVE_BATCH=0: one message each)
  const wsUrl = spec.httpUrl.replace(/^http/, 'ws') + (process.env.RS_BENCH_LIVE_BATCH === '0' ? '/ws' : '/ws?batch=1')
  // frames whose sample time falls in [fromMs, toMs) are measured; set once every client is up
  let fromMs = Infinity
  let toMs = Infinity
  const wsResults: ClientResult[] = []
  const sockets: WebSocket[] = []
  for (let i = 0; i < spec.ws; i++) {
    const r: ClientResult = { kind: 'ws', latencies: [], expected: 0, lagDropped: 0 }
    wsResults.push(r)
    const ws = new WebSocket(wsUrl)
    sockets.push(ws)
    ws.on('message', (data: Buffer) => {
      const now = Date.now()
      type M = { type: string, windowStartUs?: number, dropped?: number }
      const parsed = JSON.parse(String(data)) as M | M[]
      for (const msg of Array.isArray(parsed) ? parsed : [parsed]) {
        if (msg.type === 'frames') {
          const sampleMs = msg.windowStartUs! / 1000 + WINDOW_MS
          if (sampleMs >= fromMs && sampleMs < toMs && now - sampleMs <= GRACE_MS) r.latencies.push(now - sampleMs)
        } else if (msg.type === 'lag' && now >= fromMs && now < toMs + GRACE_MS) r.lagDropped += msg.dropped ?? 0
      }
    })
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject) })
    for (let k = 0; k < spec.rigs; k++) ws.send(JSON.stringify({ type: 'subscribe', tenant: TENANT, rig: rigName(k), channels: CARD_CHANNELS }))
    // its selected rig: every channel
    ws.send(JSON.stringify({ type: 'subscribe', tenant: TENANT, rig: rigName(i % spec.rigs) }))
  }

  // Chromium pages of the real dashboard; the socket's message events are timed by a wrapper
  // installed before the page's scripts run (the page itself is unchanged)
  let browser: import('playwright-core').Browser | null = null
  const pages: Array<import('playwright-core').Page> = []
  if (spec.browsers > 0) {
    const { chromium } = await import('playwright-core')
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
    for (let i = 0; i < spec.browsers; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
      await page.addInitScript(() => {
        // flat pairs: sample time, arrival time (ms)
        const w = window as unknown as { __seen: number[], __lag: number[], WebSocket: typeof globalThis.WebSocket }
        w.__seen = []
        w.__lag = []
        const Native = w.WebSocket
        w.WebSocket = class extends Native {
          constructor (url: string | URL, protocols?: string | string[]) {
            super(url, protocols)
            this.addEventListener('message', ev => {
              const now = Date.now()
              if (typeof ev.data !== 'string') return
              // one message or a batch (an array): read the times with a regex, not a second JSON.parse
              for (const m of ev.data.matchAll(/\{"type":"frames",[^{]*?"windowStartUs":(\d+)/g)) w.__seen.push(Number(m[1]) / 1000 + 1000, now)
              for (const m of ev.data.matchAll(/\{"type":"lag","dropped":(\d+)/g)) w.__lag.push(now, Number(m[1]))
            })
          }
        }
      })
      await page.goto(spec.httpUrl + '/')
      await page.waitForSelector('body[data-ws="open"]')
      pages.push(page)
    }
  }

  fromMs = Math.ceil(Date.now() / 1000) * 1000 + spec.warmupS * 1000
  toMs = fromMs + spec.seconds * 1000
  // Chromium's CPU time over the window, all its processes (browser, renderers, GPU/viz): % of one core
  const chromiumCpu = (async (): Promise<number | undefined> => {
    // Chromium's processes are the descendants of this one (playwright starts it from here)
    const root = process.pid
    if (!browser || !existsSync('/proc/self/stat')) return undefined
    const ticks = (): number => {
      // this process's descendants, from /proc/<pid>/stat (utime + stime, in clock ticks)
      const stat = new Map<number, { ppid: number, t: number }>()
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue
        try {
          const f = readFileSync(`/proc/${d}/stat`, 'utf8')
          const rest = f.slice(f.lastIndexOf(')') + 2).split(' ')
          stat.set(Number(d), { ppid: Number(rest[1]), t: Number(rest[11]) + Number(rest[12]) })
        } catch {}
      }
      const mine = new Set([root])
      for (let grew = true; grew;) { grew = false; for (const [pid, x] of stat) if (!mine.has(pid) && mine.has(x.ppid)) { mine.add(pid); grew = true } }
      let t = 0
      for (const pid of mine) if (pid !== root) t += stat.get(pid)?.t ?? 0
      return t
    }
    while (Date.now() < fromMs) await sleep(50)
    const a = ticks()
    const t0 = Date.now()
    while (Date.now() < toMs) await sleep(50)
    return Math.round(1000 * (ticks() - a) / 100 / ((Date.now() - t0) / 1000)) / 10 // USER_HZ = 100
  })()
  // each page's main-thread time over the window: what the page costs, apart from the latency
  const mainThread = pages.map(async (page): Promise<PageMainThread> => {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const read = async (): Promise<Map<string, number>> => new Map((await cdp.send('Performance.getMetrics')).metrics.map(m => [m.name, m.value]))
    while (Date.now() < fromMs) await sleep(50)
    const a = await read()
    while (Date.now() < toMs) await sleep(50)
    const b = await read()
    const wall = (b.get('Timestamp')! - a.get('Timestamp')!)
    const pct = (k: string): number => Math.round(1000 * (b.get(k)! - a.get(k)!) / wall) / 10
    // what the page holds at the window's start and end (a leak shows here)
    const growth: Record<string, [number, number]> = {}
    for (const k of ['JSHeapUsedSize', 'Nodes', 'JSEventListeners', 'LayoutObjects', 'LayoutCount', 'RecalcStyleCount']) growth[k] = [a.get(k)!, b.get(k)!]
    growth.JSHeapUsedSize = [Math.round(growth.JSHeapUsedSize![0] / 1e6), Math.round(growth.JSHeapUsedSize![1] / 1e6)]
    return { busyPct: pct('TaskDuration'), scriptPct: pct('ScriptDuration'), layoutPct: pct('LayoutDuration'), stylePct: pct('RecalcStyleDuration'), growth }
  })
  for (const r of wsResults) r.expected = spec.seconds * spec.rigs
  process.stderr.write(`dashboards up; measuring frames sampled in the ${spec.seconds} s after a ${spec.warmupS} s warm-up (from ${new Date(fromMs).toISOString()})\n`)
  // RS_BENCH_PAGE_PROFILE=1: where the first Chromium page's main thread spends 10 s of the
  // measured window (a CDP CPU profile; time outside JavaScript shows as (program) / (garbage collector))
  if (process.env.RS_BENCH_PAGE_PROFILE && pages[0]) {
    while (Date.now() < fromMs) await sleep(100)
    const cdp = await pages[0].context().newCDPSession(pages[0])
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
    await sleep(10_000)
    const { profile } = await cdp.send('Profiler.stop') as unknown as { profile: { nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number } }>, samples: number[], timeDeltas: number[] } }
    const byNode = new Map(profile.nodes.map(n => [n.id, n]))
    const self = new Map<string, number>()
    let total = 0
    profile.samples.forEach((id, i) => {
      const n = byNode.get(id)!
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`
      const dt = profile.timeDeltas[i] ?? 0
      self.set(key, (self.get(key) ?? 0) + dt)
      total += dt
    })
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)
    process.stderr.write(`page profile, 10 s wall, ${Math.round(total / 1000)} ms sampled:\n${top.map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n')}\n`)
  }
  // RS_BENCH_PAGE_TRACE=1: a Chromium trace of 5 s of the measured window; prints the renderer main
  // threads' busiest trace events (total duration per event name; nested events count in their parents too)
  // (RS_BENCH_PAGE_TRACE_AT=<s>: start that many seconds into the measured window, default 5)
  if (process.env.RS_BENCH_PAGE_TRACE && browser && pages[0]) {
    while (Date.now() < fromMs + Number(process.env.RS_BENCH_PAGE_TRACE_AT ?? 5) * 1000) await sleep(100)
    // RS_BENCH_PAGE_TRACE=<file>.json keeps the trace there (for chrome://tracing or Perfetto)
    const file = process.env.RS_BENCH_PAGE_TRACE.endsWith('.json') ? process.env.RS_BENCH_PAGE_TRACE : spec.resultFile + '.trace.json'
    await browser.startTracing(pages[0], { path: file, categories: ['devtools.timeline', 'blink', 'cc', 'gpu', 'v8', 'toplevel', 'disabled-by-default-devtools.timeline'] })
    await sleep(5000)
    await browser.stopTracing()
    const { traceEvents } = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Array<{ name: string, ph: string, dur?: number, pid: number, tid: number, args?: { name?: string } }> }
    const threadName = new Map<string, string>()
    for (const e of traceEvents) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}/${e.tid}`, e.args?.name ?? '')
    const sums = new Map<string, [number, number]>()
    for (const e of traceEvents) {
      if (e.ph !== 'X' || e.dur === undefined) continue
      const t = threadName.get(`${e.pid}/${e.tid}`) ?? '?'
      const key = `${t} ${e.name}`
      const v = sums.get(key) ?? [0, 0]
      v[0] += e.dur; v[1]++
      sums.set(key, v)
    }
    const top = [...sums].sort((a, b) => b[1][0] - a[1][0]).slice(0, 40)
    process.stderr.write(`page trace, 5 s wall, first page (all threads of the trace):\n${top.map(([k, [us, n]]) => `  ${(us / 1000).toFixed(0).padStart(6)} ms ${String(n).padStart(6)}x  ${k}`).join('\n')}\n`)
  }
  while (Date.now() < toMs + GRACE_MS) await sleep(500)
  const results = [...wsResults]
  for (const p of pages) {
    const r = await p.evaluate(() => { const w = window as unknown as { __seen: number[], __lag: number[] }; return { seen: w.__seen, lag: w.__lag } })
    const latencies: number[] = []
    const worstBySecond = new Map<number, number>() // second of arrival (from fromMs) -> its worst latency
    for (let i = 0; i < r.seen.length; i += 2) {
      const sampleMs = r.seen[i]!
      const lat = r.seen[i + 1]! - sampleMs
      if (sampleMs >= fromMs && sampleMs < toMs && lat <= GRACE_MS) {
        latencies.push(lat)
        const sec = Math.floor((r.seen[i + 1]! - fromMs) / 1000)
        if (lat > (worstBySecond.get(sec) ?? -1)) worstBySecond.set(sec, lat)
      }
    }
    // where a page's tail comes from: its five worst seconds (s after the measured window opened: ms)
    const worst = [...worstBySecond].sort((a, b) => b[1] - a[1]).slice(0, 5)
    process.stderr.write(`chromium page ${pages.indexOf(p)}: worst seconds ${worst.map(([sec, ms]) => `${sec}s: ${ms} ms`).join(', ')}\n`)
    let lagDropped = 0
    for (let i = 0; i < r.lag.length; i += 2) if (r.lag[i]! >= fromMs && r.lag[i]! < toMs + GRACE_MS) lagDropped += r.lag[i + 1]!
    // the page subscribes to the rigs GET /rigs lists (all of them) and to its selected rig
    results.push({ kind: 'chromium', latencies, expected: spec.seconds * spec.rigs, lagDropped, mainThread: await mainThread[pages.indexOf(p)] })
  }
  for (const ws of sockets) ws.close()
  await browser?.close()
  writeFileSync(spec.resultFile, JSON.stringify({ fromMs, toMs, results, chromiumCpuPct: await chromiumCpu } satisfies ClientOutput))
  process.exit(0)
}

