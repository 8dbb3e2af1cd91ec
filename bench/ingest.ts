// npm run bench -- ingest [--quick] [--json] [--rigs N] [--seconds S] [--kafka] [--rollup-flush-ms N] [--write-concurrency N] [--batch-frames N] [--pg key=value ...]
// Ingest at fleet scale, measured end to end on this machine: N rigs, each publishing one frame a
// second of the full reference channel set (728 samples: PS1-6 and EPS1 at 100 Hz, FS1-2 at 10 Hz,
// 8 channels at 1 Hz) to a real Mosquitto at QoS 1 → rigstream ingest (decode, validate, dedup,
// COPY into frame rows; Kafka too with --kafka) → a real PostgreSQL (embedded, its own data dir).
// Reported: samples/s stored during the measured window, p50/p99 latency from the frame's last
// sample time to its commit (the commit event ingest emits after the durable write), peak RSS of
// the process that runs ingest (this one; the publishers run in a child process).
// Baseline in the same run: the naive design peers use — one row per sample, a multi-row INSERT
// per frame, acknowledged after commit — through the same broker from the same publishers;
// ratio = ours / naive samples per second. The naive side is offered the same load, falls behind,
// and its stored rows per second over the window are its capacity.
// Last line of stdout: one JSON object.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import mqtt from 'mqtt'
import pg from 'pg'
import { pino } from 'pino'
import { LiveBus } from '../common/src/live.js'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { startIngest } from '../ingest/src/service.js'
import { migrate } from '../ingest/src/store/migrate.js'
import { createSimulator } from '../edge-agent/src/sources/simulator.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import { FrameBatch } from '../schemas/src/index.js'
import { startMosquitto } from '../tests/support/mosquitto.js'
import { createKafkaProcess } from '../tests/support/kafka.js'
import { percentiles, sleep } from './_stats.js'

const SAMPLES_PER_FRAME = 728
const self = fileURLToPath(import.meta.url)
const argv = process.argv.slice(2)
const arg = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined }

interface LoadSpec { url: string, tenant: string, rigs: number, seconds: number, connections: number }

if (argv[0] === '--load-child') await loadChild(JSON.parse(argv[1]!) as LoadSpec)
else await parent()

async function parent (): Promise<void> {
  const quick = argv.includes('--quick')
  const json = argv.includes('--json')
  const say = (s: string): void => { (json ? process.stderr : process.stdout).write(s + '\n') }
  const rigs = Number(arg('--rigs') ?? (quick ? 1000 : 2750))
  const seconds = Number(arg('--seconds') ?? (quick ? 40 : 120))
  const naiveSeconds = quick ? 20 : 40
  const warmup = quick ? 10 : 20
  // plain path rollups: folded every N ms after the commit (ingest's default 2000), or 0 = inside each batch's transaction
  const rollupFlushMs = Number(arg('--rollup-flush-ms') ?? 10_000)
  // batches written at once (ingest's default 2; 1 = one batch at a time, the design before session 6)
  const writeConcurrency = Number(arg('--write-concurrency') ?? 2)
  const batchMaxFrames = Number(arg('--batch-frames') ?? 500) // ingest's default 500
  const log = pino({ level: 'warn' }, pino.destination(2)) // stderr: stdout's last line is the result

  const dir = mkdtempSync(join(tmpdir(), 'rs-bench-ingest-'))
  // --pg key=value (repeatable): a PostgreSQL setting for the bench's server, e.g. --pg max_wal_size=8GB
  const pgSettings = Object.fromEntries(argv.flatMap((a, i) => a === '--pg' && argv[i + 1]?.includes('=') ? [argv[i + 1]!.split(/=(.*)/s).slice(0, 2)] : []))
  const epg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), persistent: false, settings: pgSettings })
  const mosq = await startMosquitto()
  const kafka = argv.includes('--kafka') ? await createKafkaProcess() : null
  if (kafka) await kafka.start()
  const cleanup = async (): Promise<void> => {
    await mosq.stop().catch(() => {})
    await kafka?.destroy().catch(() => {})
    await epg.stop().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const url = await epg.createDatabase('bench')
    await migrate(url, log)
    // with --pg shared_preload_libraries=pg_stat_statements: the slowest statements go to stderr at the end
    const statements = String(pgSettings.shared_preload_libraries ?? '').includes('pg_stat_statements')
    if (statements) await oneQuery(url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
    say(`PostgreSQL ${epg.port}, Mosquitto ${mosq.port}${kafka ? `, Kafka ${kafka.brokers}` : ''}; ${rigs} rigs x ${SAMPLES_PER_FRAME} samples/s = ${(rigs * SAMPLES_PER_FRAME).toLocaleString('en')} samples/s offered`)

    // ---- rigstream ingest ----
    const bus = new LiveBus()
    const lat: number[] = []
    let measuring = false
    let stored = 0
    bus.on('frames', f => {
      if (!measuring) return
      stored++
      const endUs = Number(f.batch.windowStartUs) + Number(f.batch.windowUs)
      lat.push(Date.now() - endUs / 1000)
    })
    const ingest = await startIngest({ mqttUrl: mosq.url, username: 'svc:ingest', password: 'x', databaseUrl: url, kafkaBrokers: kafka ? [kafka.brokers] : undefined, bus, log, clientId: 'bench-ingest', rollupFlushMs, writeConcurrency, batchMaxFrames })
    let peakRss = 0
    const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()) }, 250)
    const load = startLoad({ url: mosq.url, tenant: 'bench', rigs, seconds: warmup + seconds + 5, connections: 8 })
    await sleep(warmup * 1000)
    say(`warm-up done (${ingest.stats().stored} frames stored); measuring ${seconds} s`)
    const cpu0 = process.cpuUsage()
    const pg0 = await serverStats(url)
    measuring = true
    const t0 = performance.now()
    let shown = 0
    const loop = monitorEventLoopDelay({ resolution: 10 })
    const loopAll = monitorEventLoopDelay({ resolution: 10 })
    loop.enable(); loopAll.enable()
    const progress = setInterval(() => {
      const last = percentiles(lat.slice(shown))
      shown = lat.length
      const r = ingest.stats().rollups
      const line = `  ${Math.round((performance.now() - t0) / 1000)} s: ${Math.round(stored * SAMPLES_PER_FRAME / ((performance.now() - t0) / 1000)).toLocaleString('en')} samples/s, pending acks ${ingest.stats().pendingAcks}, last 10 s: p99 ${last.p99LatencyMs} ms, event loop delay max ${Math.round(loop.max / 1e6)} ms${r ? `, rollup flush ${r.lastFlushMs} ms` : ''}`
      loop.reset()
      // vacuum and analyze running now (autovacuum's work shows in the latency)
      oneQuery(url, `SELECT 'vacuum ' || relid::regclass || ' (' || phase || ')' AS w FROM pg_stat_progress_vacuum UNION ALL SELECT 'analyze ' || relid::regclass || ' (' || phase || ')' FROM pg_stat_progress_analyze`)
        .then(rows => say(line + (rows.length > 0 ? `; running: ${rows.map(x => x.w).join(', ')}` : '')), () => say(line))
    }, 10_000)
    await sleep(seconds * 1000)
    measuring = false
    clearInterval(progress)
    loop.disable(); loopAll.disable()
    const wall = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    const pg1 = await serverStats(url)
    const server = {
      checkpoints: pg1.checkpoints - pg0.checkpoints,
      checkpointsRequested: pg1.requested - pg0.requested,
      walMB: Math.round((pg1.walBytes - pg0.walBytes) / 1048576),
      walFullPageImages: pg1.fpi - pg0.fpi,
      // autovacuum and autoanalyze runs that ended in the measured window, per table
      autovacuum: Object.fromEntries(Object.entries(pg1.autovacuum).flatMap(([t, x]) => {
        const d = { vacuum: x.vacuum - (pg0.autovacuum[t]?.vacuum ?? 0), analyze: x.analyze - (pg0.autovacuum[t]?.analyze ?? 0) }
        return d.vacuum + d.analyze > 0 ? [[t, d]] : []
      }))
    }
    const ours = {
      frames: stored,
      samplesPerSec: Math.round(stored * SAMPLES_PER_FRAME / wall),
      offeredSamplesPerSec: rigs * SAMPLES_PER_FRAME,
      ...percentiles(lat),
      rssMB: Math.round(peakRss / 1048576),
      ingestCpuPercent: Math.round((cpu.user + cpu.system) / 1e4 / wall),
      deadLetters: ingest.stats().deadLetters,
      kafkaProduced: ingest.stats().kafkaProduced,
      // the ingest process's event loop (a long synchronous step delays every commit and PUBACK)
      eventLoopDelayMs: { p99: Math.round(loopAll.percentile(99) / 1e6), max: Math.round(loopAll.max / 1e6) },
      rollupFlushMs: { max: ingest.stats().rollups?.maxFlushMs ?? null },
      server
    }
    say('stopping the publishers and ingest')
    load.child.kill('SIGTERM')
    await load.done
    await bounded(ingest.close(), 30_000)
    clearInterval(rssTimer)
    if (statements) {
      const top = await oneQuery(url, `SELECT calls, round(total_exec_time)::int AS total_ms, round(mean_exec_time)::int AS mean_ms, round(max_exec_time)::int AS max_ms,
        left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS q FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`)
      for (const r of top) say(`  pg: ${r.calls} calls, total ${r.total_ms} ms, mean ${r.mean_ms} ms, max ${r.max_ms} ms: ${r.q}`)
    }
    say(`rigstream: ${ours.samplesPerSec.toLocaleString('en')} samples/s (offered ${ours.offeredSamplesPerSec.toLocaleString('en')}), p50 ${ours.p50LatencyMs} ms, p99 ${ours.p99LatencyMs} ms, peak RSS ${ours.rssMB} MB`)

    // ---- the naive design: one row per sample ----
    const naive = await runNaive({ url, mqttUrl: mosq.url, rigs, seconds: naiveSeconds, warmup: 5, say })
    say(`naive: ${naive.samplesPerSec.toLocaleString('en')} samples/s`)

    const out = {
      bench: 'ingest',
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      broker: 'mosquitto',
      kafka: kafka !== null,
      rollupFlushMs,
      writeConcurrency,
      pgSettings,
      batchMaxFrames,
      rigs,
      seconds,
      samplesPerSec: ours.samplesPerSec,
      offeredSamplesPerSec: ours.offeredSamplesPerSec,
      keptUp: ours.samplesPerSec >= 0.98 * ours.offeredSamplesPerSec,
      p50LatencyMs: ours.p50LatencyMs,
      p99LatencyMs: ours.p99LatencyMs,
      rssMB: ours.rssMB,
      ratioVsNaive: Math.round(ours.samplesPerSec / naive.samplesPerSec * 10) / 10,
      ours,
      naive
    }
    console.log(JSON.stringify(out))
  } finally {
    await cleanup()
  }
}

async function runNaive (o: { url: string, mqttUrl: string, rigs: number, seconds: number, warmup: number, say: (s: string) => void }): Promise<{ samplesPerSec: number, rows: number, seconds: number }> {
  const pool = new pg.Pool({ connectionString: o.url, max: 2 })
  await pool.query('CREATE TABLE naive_samples (tenant text NOT NULL, rig text NOT NULL, channel text NOT NULL, t timestamptz NOT NULL, v real NOT NULL)')
  await pool.query('CREATE INDEX ON naive_samples (tenant, rig, channel, t)')
  let rows = 0
  let measuring = false
  const client = await mqtt.connectAsync(o.mqttUrl, { protocolVersion: 4, clientId: 'bench-naive', clean: true, reconnectPeriod: 0 })
  // one message at a time: decode, one multi-row INSERT of its 728 samples, commit, then PUBACK
  let closing = false
  client.handleMessage = (packet, done) => {
    if (closing) { done(); return } // the run is over: the broker keeps the rest, nothing is written
    const f = FrameBatch.decode(packet.payload as Buffer)
    const values: unknown[] = []
    const tuples: string[] = []
    for (const c of f.channels) {
      const start = Number(c.startUs)
      const samples = c.samples ?? []
      const rate = c.rateHz ?? 1
      for (let i = 0; i < samples.length; i++) {
        const n = values.length
        tuples.push(`($${n + 1},$${n + 2},$${n + 3},to_timestamp($${n + 4}),$${n + 5})`)
        values.push(f.tenant, f.rig, c.id, (start + i * 1e6 / rate) / 1e6, samples[i])
      }
    }
    pool.query(`INSERT INTO naive_samples VALUES ${tuples.join(',')}`, values).then(() => {
      if (measuring) rows += tuples.length
      done()
    }, (err: Error) => { o.say(`naive insert failed: ${err.message}`); done(err) })
  }
  await client.subscribeAsync('rs/v1/naive/+/frames', { qos: 1 })
  const load = startLoad({ url: o.mqttUrl, tenant: 'naive', rigs: o.rigs, seconds: o.warmup + o.seconds + 2, connections: 8 })
  await sleep(o.warmup * 1000)
  measuring = true
  const t0 = performance.now()
  await sleep(o.seconds * 1000)
  measuring = false
  const seconds = (performance.now() - t0) / 1000
  o.say('naive: stopping')
  load.child.kill('SIGTERM')
  await load.done
  closing = true
  await bounded(client.endAsync(true), 5000)
  await bounded(pool.end(), 10_000)
  return { samplesPerSec: Math.round(rows / seconds), rows, seconds: Math.round(seconds * 10) / 10 }
}

function startLoad (spec: LoadSpec): { child: ChildProcess, done: Promise<void> } {
  const child = spawn(process.execPath, [self, '--load-child', JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit'] })
  const done = new Promise<void>(resolve => child.once('exit', () => resolve()))
  return { child, done }
}

/** The publishers: `rigs` rigs spread over a few connections, one frame per rig per second, spread over the second. */
async function loadChild (spec: LoadSpec): Promise<void> {
  const sim = createSimulator({ seed: 1, startUs: Date.now() * 1000 })
  const window = sim.next()
  const conns = await Promise.all(Array.from({ length: spec.connections }, async (_, i) => await mqtt.connectAsync(spec.url, { protocolVersion: 4, clientId: `bench-load-${spec.tenant}-${i}`, reconnectPeriod: 0 })))
  const seqs = new Array<number>(spec.rigs).fill(0)
  const rigName = (i: number): string => `r${String(i).padStart(5, '0')}`
  const SLICES = 20
  const tEnd = Date.now() + spec.seconds * 1000
  let failed = 0
  for (let tick = Math.ceil(Date.now() / 1000) * 1000; tick < tEnd; tick += 1000) {
    for (let s = 0; s < SLICES; s++) {
      const at = tick + s * (1000 / SLICES)
      const wait = at - Date.now()
      if (wait > 0) await sleep(wait)
      const startUs = (at - 1000) * 1000 // each rig's window closes as its slice publishes it, as an agent would
      const w = { ...window, windowStartUs: startUs, channels: window.channels.map(c => ({ ...c, startUs })) }
      for (let r = s; r < spec.rigs; r += SLICES) {
        seqs[r]!++
        const payload = Buffer.from(toFrameBatch(spec.tenant, rigName(r), seqs[r]!, w, Date.now() * 1000, sim.profileId))
        conns[r % conns.length]!.publishAsync(`rs/v1/${spec.tenant}/${rigName(r)}/frames`, payload, { qos: 1 }).catch(() => { failed++ })
      }
    }
  }
  if (failed > 0) process.stderr.write(`load: ${failed} publishes failed\n`)
  await Promise.all(conns.map(async c => await c.endAsync(true)))
  process.exit(0)
}


async function oneQuery (url: string, sql: string): Promise<Array<Record<string, any>>> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try { return (await c.query(sql)).rows } finally { await c.end() }
}

/** PostgreSQL's checkpoint and WAL counters (a checkpoint in the measured window shows in p99) */
async function serverStats (url: string): Promise<{ checkpoints: number, requested: number, walBytes: number, fpi: number, autovacuum: Record<string, { vacuum: number, analyze: number }> }> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const v = Number((await c.query('SHOW server_version_num')).rows[0].server_version_num)
    const cp = v >= 170000
      ? (await c.query('SELECT num_timed + num_requested AS n, num_requested AS r FROM pg_stat_checkpointer')).rows[0]
      : (await c.query('SELECT checkpoints_timed + checkpoints_req AS n, checkpoints_req AS r FROM pg_stat_bgwriter')).rows[0]
    const wal = (await c.query('SELECT wal_bytes::float8 AS b, wal_fpi::float8 AS f FROM pg_stat_wal')).rows[0]
    const av = (await c.query<{ relname: string, v: number, a: number }>('SELECT relname, autovacuum_count::int AS v, autoanalyze_count::int AS a FROM pg_stat_user_tables WHERE autovacuum_count + autoanalyze_count > 0')).rows
    return { checkpoints: Number(cp.n), requested: Number(cp.r), walBytes: Number(wal.b), fpi: Number(wal.f), autovacuum: Object.fromEntries(av.map(r => [r.relname, { vacuum: r.v, analyze: r.a }])) }
  } finally {
    await c.end()
  }
}

/** waits for `p`, but no longer than `ms` (a stuck close must not hang the bench) */
async function bounded (p: Promise<unknown>, ms: number): Promise<void> {
  await Promise.race([p.catch(() => {}), sleep(ms)])
}
