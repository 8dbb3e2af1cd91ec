// npm run bench -- overload [--quick] [--json] [--rate N] [--seconds S] [--rigs R] [--ingest-heap-mb N]
// Ingest under overload (issue 5): frames are offered at twice what ingest sustains on this
// machine (measured at the start of the same run, or --rate frames/s) for 5 minutes (--quick: 1),
// while `rigstream ingest` (a real child process, default settings, Kafka off) writes into its own
// embedded PostgreSQL through a real Mosquitto. ingest's RSS is sampled every second; then the
// publisher stops and the bench waits for the backlog (held by the broker, not by ingest) to
// drain. Lost and duplicated frames are counted in the database (frame_keys, frame_channels).
// The last stdout line is one JSON object.
import { cpus, tmpdir, totalmem } from 'node:os'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { startEmbeddedPostgres } from '../common/src/embedded-postgres.js'
import { requireProfile } from '../common/src/profile.js'
import { startMosquitto } from '../tests/support/mosquitto.js'
import { spawnIngest } from '../tests/support/ingest-proc.js'
import { encodeTestFrame, startSteadyPublisher } from '../tests/support/ingest-publisher.js'
import { checkDelivery, sleep, storedCount } from '../tests/support/ingest-check.js'

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' }, rate: { type: 'string' }, seconds: { type: 'string' }, rigs: { type: 'string' }, 'ingest-heap-mb': { type: 'string' } } })
const quick = args.quick === true
const json = args.json === true
const seconds = Number(args.seconds ?? (quick ? 60 : 300))
const rigCount = Number(args.rigs ?? 10)
const fixedRate = args.rate === undefined ? null : Number(args.rate)
if (!(seconds > 0) || !(rigCount >= 1) || (fixedRate !== null && !(fixedRate > 0))) {
  process.stderr.write('usage: npm run bench -- overload [--quick] [--json] [--rate frames/s] [--seconds S] [--rigs R]\n')
  process.exit(2)
}
function rssOf (pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch { return 0 }
}
const say = (s: string): void => { (json ? process.stderr : process.stdout).write(s + '\n') }
const r1 = (v: number): number => Math.round(v * 10) / 10
const CHANNELS = requireProfile().channels.length

const base = mkdtempSync(join(tmpdir(), 'rs-bench-overload-'))
const db = await startEmbeddedPostgres({ dir: join(base, 'pg'), persistent: false })
const broker = await startMosquitto()
const url = await db.createDatabase('overload')
// --ingest-heap-mb N caps ingest's V8 old space (--max-old-space-size): shows whether its RSS is
// live data or garbage V8 has not collected yet
const heapMb = args['ingest-heap-mb'] === undefined ? null : Number(args['ingest-heap-mb'])
const ing = await spawnIngest({ mqttUrl: broker.url, databaseUrl: url, clientId: 'rs-bench-overload', env: heapMb ? { NODE_OPTIONS: `--max-old-space-size=${heapMb}` } : {} })
const pool = new pg.Pool({ connectionString: url, max: 1 })
const tenant = 'bench'
const published = new Map<string, number>()
let stopping: Promise<void> | null = null
const stopAll = (): Promise<void> => (stopping ??= (async () => {
  await pool.end().catch(() => {})
  await ing.stop().catch(() => {})
  await broker.stop().catch(() => {})
  await db.stop().catch(() => {})
  rmSync(base, { recursive: true, force: true })
})())

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { void stopAll().finally(() => process.exit(130)) })

try {
  const rssIdle = ing.rssMB() ?? 0
  say(`ingest pid ${ing.pid} (RSS ${r1(rssIdle)} MB idle); Mosquitto ${broker.url}; PostgreSQL port ${db.port}`)

  // 1. what ingest sustains here: a burst far above it, stored/s measured while a backlog exists
  let sustainable = fixedRate === null ? 0 : fixedRate / 2
  if (fixedRate === null) {
    const calSeconds = quick ? 5 : 15
    const calRigs = Array.from({ length: rigCount }, (_, i) => `cal-${i + 1}`)
    const cal = await startSteadyPublisher({ mqttUrl: broker.url, tenant, rigs: calRigs, framesPerRig: Math.ceil(calSeconds * 4000 / rigCount), ratePerSec: 4000 })
    const calTotal = calRigs.length * Math.ceil(calSeconds * 4000 / rigCount)
    const points: Array<{ t: number, stored: number }> = []
    const t0 = Date.now()
    while (true) {
      const m = await ing.metrics()
      points.push({ t: Date.now(), stored: m.stored ?? 0 })
      if ((m.stored ?? 0) >= calTotal) break
      if (Date.now() - t0 > 600_000) throw new Error('calibration did not finish in 10 minutes')
      await sleep(500)
    }
    await cal.stop()
    for (const [r, n] of cal.publishedPerRig()) published.set(r, n)
    // rate between 20 % and 80 % of the burst: ingest is busy (the broker holds a backlog) there
    const a = points.find(p => p.stored >= calTotal * 0.2)!
    const b = points.find(p => p.stored >= calTotal * 0.8)!
    sustainable = (b.stored - a.stored) / Math.max(0.001, (b.t - a.t) / 1000)
    say(`calibration: ${calTotal} frames offered at up to 4000/s, all stored in ${r1((points[points.length - 1].t - t0) / 1000)} s; ingest sustained ${r1(sustainable)} frames/s`)
  }

  // 2. overload: twice that, for `seconds`, RSS every second
  const offered = fixedRate ?? Math.round(sustainable * 2)
  const rigs = Array.from({ length: rigCount }, (_, i) => `rig-${i + 1}`)
  const storedBefore = (await ing.metrics()).stored ?? 0
  const rssAtStart = ing.rssMB() ?? 0
  say(`overload: offering ${offered} frames/s over ${rigCount} rigs for ${seconds} s`)
  const pub = await startSteadyPublisher({ mqttUrl: broker.url, tenant, rigs, framesPerRig: Infinity, ratePerSec: offered })
  const rss: number[] = []
  let brokerPeak = 0
  let maxPending = 0
  const tStart = Date.now()
  while (Date.now() - tStart < seconds * 1000) {
    await sleep(1000 - ((Date.now() - tStart) % 1000))
    rss.push(ing.rssMB() ?? 0)
    brokerPeak = Math.max(brokerPeak, rssOf(broker.proc.pid))
    const m = await ing.metrics()
    maxPending = Math.max(maxPending, m.pending_acks ?? 0)
    const el = (Date.now() - tStart) / 1000
    if (rss.length % 10 === 0) say(`  ${Math.round(el)} s: sent ${pub.sent}, stored ${(m.stored ?? 0) - storedBefore}, RSS ${r1(rss[rss.length - 1])} MB, held ${m.pending_acks ?? 0}`)
  }
  const storedAtStop = ((await ing.metrics()).stored ?? 0) - storedBefore
  const publishSeconds = (Date.now() - tStart) / 1000
  await pub.stop()
  const tStop = Date.now()
  const sent = pub.sent
  for (const [r, n] of pub.publishedPerRig()) published.set(r, n)
  const expected = [...published.values()].reduce((x, y) => x + y, 0)
  say(`published ${sent} frames in ${r1(publishSeconds)} s (${r1(sent / publishSeconds)}/s); stored meanwhile ${storedAtStop}; draining the backlog of ${sent - storedAtStop}`)

  // 3. drain: the broker's backlog into the database (dead letters count as settled: reported below)
  while (true) {
    const m = await ing.metrics()
    if ((await storedCount(pool, tenant)) + (m.dead_letters ?? 0) >= expected && (m.pending_acks ?? 0) === 0) break
    rss.push(ing.rssMB() ?? 0)
    brokerPeak = Math.max(brokerPeak, rssOf(broker.proc.pid))
    if (Date.now() - tStop > 30 * 60_000) throw new Error('the backlog did not drain in 30 minutes')
    await sleep(1000)
  }
  const drainSeconds = (Date.now() - tStop) / 1000
  const check = await checkDelivery(pool, tenant, published, CHANNELS)
  const final = await ing.stop() // SIGTERM: drains, prints its counters
  const reconnects = ing.warnings.filter(l => l.includes('MQTT connection closed; reconnecting')).length
  const result = {
    bench: 'overload',
    quick,
    ingestHeapCapMB: heapMb,
    offeredPerSec: r1(sent / publishSeconds),
    targetPerSec: offered,
    sustainablePerSec: r1(sustainable),
    storedPerSec: r1(storedAtStop / publishSeconds),
    storedPerSecIncludingDrain: r1(sent / (publishSeconds + drainSeconds)),
    publishSeconds: r1(publishSeconds),
    framesPublished: sent,
    frameBytes: encodeTestFrame(tenant, 'rig-1', 1, Date.now() * 1000).byteLength,
    peakRssMB: r1(Math.max(rssAtStart, ...rss)),
    rssMBAtStart: r1(rssAtStart),
    rssMBIdle: r1(rssIdle),
    rssMBAtEndOfPublishing: r1(rss[Math.min(rss.length - 1, Math.round(publishSeconds) - 1)] ?? 0),
    brokerPeakRssMB: r1(brokerPeak),
    maxHeldMessages: maxPending,
    lost: check.lost,
    duplicates: check.duplicates,
    unexpected: check.unexpected,
    drainSeconds: r1(drainSeconds),
    mqttReconnects: reconnects,
    redelivered: typeof final?.duplicatesDropped === 'number' ? final.duplicatesDropped : null,
    deadLetters: typeof final?.deadLetters === 'number' ? final.deadLetters : null,
    ingestExit: final,
    machine: `${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
  }
  if (check.examples.length > 0) say(`problems: ${check.examples.join('; ')}`)
  for (const w of ing.warnings.slice(0, 10)) say(`ingest: ${w.slice(0, 400)}`)
  say(`offered ${result.offeredPerSec}/s, stored ${result.storedPerSec}/s, RSS ${result.rssMBAtStart} -> peak ${result.peakRssMB} MB, lost ${check.lost}, duplicates ${check.duplicates}, drained in ${result.drainSeconds} s`)
  process.stdout.write(JSON.stringify(result) + '\n')
} finally {
  await stopAll()
}
