import { join, resolve } from 'node:path'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import pg from 'pg'
import type { Logger } from '../../common/src/logger.js'
import { LiveBus } from '../../common/src/live.js'
import { startEmbeddedPostgres, type EmbeddedPg } from '../../common/src/embedded-postgres.js'
import { preferPort } from '../../common/src/net.js'
import { startBroker, type Broker } from '../../broker/src/server.js'
import { PgCredentialStore, provisionDevice, provisionService } from '../../broker/src/credentials.js'
import { startIngest, type IngestStats } from '../../ingest/src/service.js'
import { migrate } from '../../ingest/src/store/migrate.js'
import { createTelemetryQueries } from '../../ingest/src/store/queries.js'
import { startMqttLive } from '../../cloud-api/src/live-mqtt.js'
import { startApi } from '../../cloud-api/src/server.js'
import { startModelCommands } from '../../cloud-api/src/models/commands.js'
import { demoAuth } from '../../cloud-api/src/auth/bootstrap.js'
import { startFleet } from '../../edge-agent/src/fleet.js'
import { createSimulator, createUciReplay, type RigSource } from '../../edge-agent/src/sources/index.js'
import { startBusWorker } from '../../inference/src/worker/bus.js'
import { createPredictionStore } from '../../inference/src/worker/store.js'
import type { EmbeddedConfig } from './config.js'

export interface Embedded {
  httpUrl: string
  mqttUrl: string
  mqttWsUrl: string | null
  databaseUrl: string
  kafka: string[] | null
  rigs: string[]
  /** the demo tenant's admin; `password` only when it was created by this start (shown once) */
  login: { username: string, tenant: string, password: string | null }
  ingestStats (): IngestStats
  fleetStats (): { published: number, acked: number }
  /** stop the rigs, let ingest drain what they published, then close everything */
  stop (opts?: { drainMs?: number }): Promise<void>
}

/** Simulated fault settings that make the demo fleet show each fault type. */
const DEMO_FAULTS = [
  {},
  { cooler: 20 as const },
  { valve: 80 as const },
  { pump: 1 as const },
  { accumulator: 100 as const },
  { cooler: 3 as const, valve: 90 as const }
]

/**
 * The embedded default: aedes broker, ingest, cloud-api and a fleet of simulated and replayed rigs
 * in one process, on a real PostgreSQL (embedded-postgres unless DATABASE_URL is set).
 */
export async function startEmbedded (cfg: EmbeddedConfig, log: Logger, opts: { tempData?: boolean } = {}): Promise<Embedded> {
  const closers: Array<() => Promise<void>> = []
  const dataDir = opts.tempData ? mkdtempSync(join(tmpdir(), 'rigstream-')) : resolve(cfg.dataDir)
  if (opts.tempData) {
    chmodSync(dataDir, 0o755) // PostgreSQL runs as its own user when we are root: it must reach its data dir
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }))
  }
  try {
    // 1. PostgreSQL
    let databaseUrl = cfg.databaseUrl
    if (!databaseUrl) {
      const epg: EmbeddedPg = await startEmbeddedPostgres({ dir: join(dataDir, 'pg'), port: cfg.pgPort, log: log.child({ component: 'postgres' }) })
      closers.push(() => epg.stop())
      databaseUrl = await epg.createDatabase('rigstream')
      log.info({ port: epg.port, dir: join(dataDir, 'pg') }, 'embedded PostgreSQL started (set DATABASE_URL to use your own)')
    }
    await migrate(databaseUrl, log.child({ component: 'migrate' }))
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 })
    pool.on('error', err => log.warn({ err: err.message }, 'idle PostgreSQL connection lost'))
    closers.push(() => pool.end())

    // 2. broker with device credentials in PostgreSQL
    const credentials = new PgCredentialStore(pool)
    await credentials.migrate()
    const mqttPort = await preferPort(cfg.mqttPort)
    if (mqttPort.taken) log.warn({ preferred: cfg.mqttPort, port: mqttPort.port }, 'MQTT port is taken (another broker?); using a free one')
    const wsPort = cfg.mqttWsPort > 0 ? await preferPort(cfg.mqttWsPort) : null
    if (wsPort?.taken) log.warn({ preferred: cfg.mqttWsPort, port: wsPort.port }, 'MQTT-over-WebSocket port is taken; using a free one')
    const broker: Broker = await startBroker({ host: '127.0.0.1', port: mqttPort.port, wsPort: wsPort?.port ?? null, credentials, log })
    closers.push(() => broker.close())

    // operator auth (issue 7): the demo tenant and its admin, a JWT key made for this run, and the
    // broker's own credential store (a rotated device secret is refused by the broker at once)
    const { auth, admin } = await demoAuth(pool, credentials, { tenant: cfg.tenant, mqttUrl: broker.url })

    // 3. ingest (in the broker's process, as DESIGN.md says for aedes)
    const bus = new LiveBus()
    const svc = await provisionService(credentials, 'ingest')
    const ingest = await startIngest({
      mqttUrl: broker.url,
      username: svc.username,
      password: svc.password,
      databaseUrl,
      kafkaBrokers: cfg.kafkaBrokers ?? undefined,
      bus,
      log: log.child({ component: 'ingest' })
    })
    closers.push(() => ingest.close())

    // rig state, edge predictions and alerts reach the dashboard from MQTT; frames come from
    // ingest's bus: the dashboard gets them once validated ('frameAccepted'), the worker once committed
    const apiSvc = await provisionService(credentials, 'api')
    const mqttLive = await startMqttLive({ url: broker.url, username: apiSvc.username, password: apiSvc.password, bus, log: log.child({ component: 'live-mqtt' }), kinds: ['state', 'predictions', 'alerts'] })
    closers.push(() => mqttLive.close())
    // model rollouts (issue 7): the api publishes model commands and follows the rigs' replies
    const commands = await startModelCommands({ url: broker.url, username: apiSvc.username, password: apiSvc.password, clientId: 'rs-api-commands', log: log.child({ component: 'commands' }) })
    closers.push(() => commands.close())

    // --- inference worker (issue 6, docs/worker.md): in-process, fed by ingest's bus (committed
    // frames), predictions and alerts stored and pushed to the dashboard; edge predictions stored too
    const predictions = createPredictionStore(pool)
    const worker = await startBusWorker({ bus, store: predictions, storeEdge: true, log: log.child({ component: 'worker' }), shadow: cfg.shadowModelDir ? { modelDir: cfg.shadowModelDir, labels: cfg.shadowLabels === 'uci' ? 'uci' : null, labelRigs: cfg.shadowLabelRigs } : null })
    closers.push(() => worker.close())
    // --- end inference worker ---

    // 4. cloud-api and dashboard
    const httpPort = await preferPort(cfg.httpPort, cfg.httpHost)
    if (httpPort.taken) log.warn({ preferred: cfg.httpPort, port: httpPort.port }, 'HTTP port is taken; using a free one')
    const api = await startApi({ host: cfg.httpHost, port: httpPort.port, queries: createTelemetryQueries(pool), bus, log: log.child({ component: 'api' }), predictions: { store: predictions, targets: worker.targets }, ingestStats: () => ingest.stats() /* issue 7: rigstream_ingest_* on /metrics */, auth, models: { commands }, live: { frames: 'accepted' } /* pushed once validated; acknowledged to the device after the commit */ })
    closers.push(() => api.close())

    // 5. rigs: simulated (full reference channel set) and replayed real UCI cycles
    const now = Date.now() * 1000
    const rigs: Array<{ rig: string, username: string, password: string, source: RigSource }> = []
    for (let i = 0; i < cfg.rigs; i++) {
      const rig = `sim-${String(i + 1).padStart(3, '0')}`
      const cred = await provisionDevice(credentials, cfg.tenant, rig)
      rigs.push({ rig, ...cred, source: createSimulator({ seed: cfg.seed + i, startUs: now, faults: DEMO_FAULTS[i % DEMO_FAULTS.length] }) })
    }
    for (let i = 0; i < cfg.replayRigs; i++) {
      const rig = `uci-${String(i + 1).padStart(3, '0')}`
      const cred = await provisionDevice(credentials, cfg.tenant, rig)
      rigs.push({ rig, ...cred, source: createUciReplay({ startUs: now, startCycle: (i * 397) % 1755, loop: true }) })
    }
    const fleet = await startFleet({ brokerUrl: broker.url, tenant: cfg.tenant, rigs, stateDir: join(dataDir, 'agents'), speed: cfg.speed, log: log.child({ component: 'fleet' }) })
    let fleetStopped = false
    const stopFleet = async (): Promise<void> => { if (!fleetStopped) { fleetStopped = true; await fleet.stop() } }
    closers.push(stopFleet)

    return {
      httpUrl: api.url,
      mqttUrl: broker.url,
      mqttWsUrl: broker.wsUrl,
      databaseUrl,
      kafka: cfg.kafkaBrokers,
      rigs: rigs.map(r => r.rig),
      login: { username: admin.username, tenant: cfg.tenant, password: admin.password ?? null },
      ingestStats: () => ingest.stats(),
      fleetStats: () => fleet.stats(),
      async stop ({ drainMs = 15_000 } = {}) {
        await stopFleet()
        const target = fleet.stats().acked
        const deadline = Date.now() + drainMs
        // every frame the broker acked to an agent reaches ingest; wait until ingest has settled them
        while (Date.now() < deadline) {
          const s = ingest.stats()
          if (s.stored + s.duplicatesDropped + s.deadLetters >= target && s.pendingAcks === 0) break
          await new Promise(r => setTimeout(r, 50))
        }
        await closeAll(closers, log)
      }
    }
  } catch (err) {
    await closeAll(closers, log)
    throw err
  }
}

async function closeAll (closers: Array<() => Promise<void>>, log: Logger): Promise<void> {
  for (const close of closers.splice(0).reverse()) {
    try { await close() } catch (err) { log.warn({ err }, 'error while stopping') }
  }
}
