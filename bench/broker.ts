// npm run bench -- broker [--quick] [--json] [--clients N] [--seconds S] [--inflight K]
// The MQTT brokers side by side, in the same run: the product's aedes broker (broker/src, with its
// device authentication and per-rig topic authorization, in a process of its own) and Mosquitto 2
// (Debian's, anonymous, queues sized so QoS 1 is never dropped). Fixed input: N publishing clients
// (default 100), each a rig publishing one real FrameBatch of the full reference channel set
// (~3.4 KB, from the simulator) to rs/v1/bench/<rig>/frames at QoS 1 with K publishes in flight,
// and one QoS 1 subscriber to rs/v1/+/+/frames (as ingest subscribes). Clients run in one child
// process, the broker in another; each broker's CPU is read from /proc. Mosquitto is the baseline
// (ratio = aedes / Mosquitto). Last line of stdout: one JSON object.
import { spawn, type ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import mqtt, { type MqttClient } from 'mqtt'
import { pino } from 'pino'
import { freePort } from '../common/src/net.js'
import { startBroker } from '../broker/src/server.js'
import { MemoryCredentialStore, provisionDevice, provisionService } from '../broker/src/credentials.js'
import { createSimulator } from '../edge-agent/src/sources/simulator.js'
import { toFrameBatch } from '../edge-agent/src/framing.js'
import { startMosquitto } from '../tests/support/mosquitto.js'
import { processCpuSeconds } from './_stats.js'

interface Creds { username?: string, password?: string }
interface LoadSpec { url: string, publishers: Array<Creds & { rig: string }>, subscriber: Creds, seconds: number, warmupSeconds: number, inflight: number }
interface LoadResult { acked: number, delivered: number, seconds: number, p50Ms: number, p99Ms: number, payloadBytes: number, errors: number }
interface Row extends LoadResult { broker: string, msgsPerSec: number, deliveredPerSec: number, brokerCpuPercent: number }

const self = fileURLToPath(import.meta.url)
const argv = process.argv.slice(2)
const arg = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined }

if (argv[0] === '--aedes-child') await aedesChild(Number(argv[1]), Number(argv[2]))
else if (argv[0] === '--load-child') await loadChild(JSON.parse(argv[1]) as LoadSpec)
else await parent()

async function parent (): Promise<void> {
  const quick = argv.includes('--quick')
  const json = argv.includes('--json')
  const say = (s: string): void => { (json ? process.stderr : process.stdout).write(s + '\n') }
  const clients = Number(arg('--clients') ?? 100)
  const seconds = Number(arg('--seconds') ?? (quick ? 8 : 20))
  const inflight = Number(arg('--inflight') ?? 8)
  const warmupSeconds = quick ? 2 : 4
  const rigs = Array.from({ length: clients }, (_, i) => `rig-${String(i + 1).padStart(4, '0')}`)
  const rows: Row[] = []

  // aedes, as the product runs it
  {
    const port = await freePort()
    const child = spawn(process.execPath, [self, '--aedes-child', String(port), String(clients)], { stdio: ['ignore', 'pipe', 'inherit'] })
    const creds = await firstLine(child) as { publishers: Array<Creds & { rig: string }>, subscriber: Creds }
    say(`aedes (pid ${child.pid}) on ${port}: ${clients} clients, ${seconds} s at QoS 1, ${inflight} in flight each`)
    rows.push(await measure('aedes', child.pid!, { url: `mqtt://127.0.0.1:${port}`, publishers: creds.publishers, subscriber: creds.subscriber, seconds, warmupSeconds, inflight }, say))
    child.kill('SIGTERM')
  }
  // Mosquitto, the baseline
  {
    const mosq = await startMosquitto()
    say(`mosquitto (pid ${mosq.proc.pid}) on ${mosq.port}`)
    rows.push(await measure('mosquitto', mosq.proc.pid!, { url: mosq.url, publishers: rigs.map(rig => ({ rig })), subscriber: {}, seconds, warmupSeconds, inflight }, say))
    await mosq.stop()
  }
  const [a, m] = rows as [Row, Row]
  const out = {
    bench: 'broker',
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    clients,
    qos: 1,
    inflightPerClient: inflight,
    payloadBytes: a.payloadBytes,
    seconds,
    aedes: a,
    mosquitto: m,
    aedesMsgsPerSec: a.msgsPerSec,
    mosquittoMsgsPerSec: m.msgsPerSec,
    ratioAedesVsMosquitto: round(a.msgsPerSec / m.msgsPerSec, 3)
  }
  for (const r of rows) say(`${r.broker.padEnd(10)} ${r.msgsPerSec.toFixed(0).padStart(8)} msg/s acked  ${r.deliveredPerSec.toFixed(0).padStart(8)} msg/s delivered  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  broker CPU ${r.brokerCpuPercent} %`)
  console.log(JSON.stringify(out))
}

async function measure (broker: string, brokerPid: number, spec: LoadSpec, say: (s: string) => void): Promise<Row> {
  const load = spawn(process.execPath, [self, '--load-child', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] })
  // the load child prints "measuring" when the warm-up ends and its result when the run ends
  const lines = lineReader(load)
  const first = await lines()
  if (first !== 'measuring') throw new Error(`load child: ${first}`)
  const cpu0 = processCpuSeconds(brokerPid) ?? NaN
  const t0 = process.hrtime.bigint()
  const result = JSON.parse(await lines()) as LoadResult
  const cpu1 = processCpuSeconds(brokerPid) ?? NaN
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const row: Row = {
    broker,
    ...result,
    msgsPerSec: round(result.acked / result.seconds, 0),
    deliveredPerSec: round(result.delivered / result.seconds, 0),
    brokerCpuPercent: round((cpu1 - cpu0) / wall * 100, 1)
  }
  say(`  ${broker}: ${row.msgsPerSec} msg/s`)
  return row
}

/** the broker process: the product's aedes broker with devices provisioned in a memory store */
async function aedesChild (port: number, clients: number): Promise<void> {
  const credentials = new MemoryCredentialStore()
  const publishers: Array<Creds & { rig: string }> = []
  for (let i = 0; i < clients; i++) {
    const rig = `rig-${String(i + 1).padStart(4, '0')}`
    publishers.push({ rig, ...(await provisionDevice(credentials, 'bench', rig)) })
  }
  const subscriber = await provisionService(credentials, 'ingest')
  await startBroker({ host: '127.0.0.1', port, credentials, log: pino({ level: 'silent' }) })
  process.stdout.write(JSON.stringify({ publishers, subscriber }) + '\n')
  process.on('SIGTERM', () => process.exit(0))
}

/** the clients: N publishers and one subscriber */
async function loadChild (spec: LoadSpec): Promise<void> {
  const sim = createSimulator({ seed: 1, startUs: Date.now() * 1000 })
  const payload = Buffer.from(toFrameBatch('bench', 'rig-0001', 1, sim.next(), Date.now() * 1000, sim.profileId))
  const opts = { protocolVersion: 4 as const, reconnectPeriod: 0, keepalive: 60 }
  let delivered = 0
  let measuring = false
  const sub = await mqtt.connectAsync(spec.url, { ...opts, ...spec.subscriber, clientId: 'bench-sub', clean: true })
  await sub.subscribeAsync('rs/v1/+/+/frames', { qos: 1 })
  sub.on('message', () => { if (measuring) delivered++ })
  const pubs: MqttClient[] = await Promise.all(spec.publishers.map(async p => await mqtt.connectAsync(spec.url, { ...opts, username: p.username, password: p.password, clientId: `bench-${p.rig}` })))
  let acked = 0
  let errors = 0
  const lat: number[] = []
  let stop = false
  const loops = pubs.map(async (c, i) => {
    const topic = `rs/v1/bench/${spec.publishers[i]!.rig}/frames`
    const one = async (): Promise<void> => {
      while (!stop) {
        const t = performance.now()
        try {
          await c.publishAsync(topic, payload, { qos: 1 })
          if (measuring) { acked++; lat.push(performance.now() - t) }
        } catch { errors++; if (!c.connected) return }
      }
    }
    await Promise.all(Array.from({ length: spec.inflight }, one))
  })
  await new Promise(resolve => setTimeout(resolve, spec.warmupSeconds * 1000))
  measuring = true
  process.stdout.write('measuring\n')
  const t0 = performance.now()
  await new Promise(resolve => setTimeout(resolve, spec.seconds * 1000))
  measuring = false
  const seconds = (performance.now() - t0) / 1000
  stop = true
  await Promise.race([Promise.all(loops), new Promise(resolve => setTimeout(resolve, 5000))])
  lat.sort((a, b) => a - b)
  const q = (p: number): number => round(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN, 2)
  const result: LoadResult = { acked, delivered, seconds: round(seconds, 3), p50Ms: q(0.5), p99Ms: q(0.99), payloadBytes: payload.length, errors }
  process.stdout.write(JSON.stringify(result) + '\n')
  await Promise.all([...pubs, sub].map(async c => await c.endAsync(true)))
  process.exit(0)
}

function lineReader (child: ChildProcess): () => Promise<string> {
  let buf = ''
  const waiting: Array<(s: string) => void> = []
  const ready: string[] = []
  child.stdout!.on('data', (d: Buffer) => {
    buf += String(d)
    let i
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i); buf = buf.slice(i + 1)
      const w = waiting.shift()
      if (w) w(line); else ready.push(line)
    }
  })
  child.once('exit', code => { for (const w of waiting) w(`exited with ${code}`) })
  return async () => await new Promise<string>(resolve => { const r = ready.shift(); if (r !== undefined) resolve(r); else waiting.push(resolve) })
}

async function firstLine (child: ChildProcess): Promise<unknown> {
  return JSON.parse(await lineReader(child)())
}

function round (x: number, d: number): number { const k = 10 ** d; return Math.round(x * k) / k }
