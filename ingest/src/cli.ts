// `rigstream ingest`: the ingest service on its own, against any MQTT 3.1.1 broker.
// Settings from the environment (ingest/src/config.ts); stops cleanly on SIGINT/SIGTERM.
import { createRootLogger } from '../../common/src/logger.js'
import { readIngestConfig } from './config.js'
import { migrate } from './store/migrate.js'
import { startIngest } from './service.js'
import { MetricsRegistry, registerProcessMetrics, serveMetrics } from '../../common/src/metrics.js'
import { registerIngestMetrics } from './metrics.js'

const USAGE = `usage: rigstream ingest

environment:
  DATABASE_URL            postgres://... (required)
  MQTT_URL                mqtt://host:port of the broker (required)
  MQTT_USERNAME           service account (default svc:ingest)
  MQTT_PASSWORD           its password (required)
  KAFKA_BROKERS           host:port,... (optional; Kafka is skipped when unset)
  RS_INGEST_SHARED_GROUP  subscribe via $share/<group>/ (Mosquitto 2, EMQX) to run several instances
  RS_INGEST_CLIENT_ID     stable MQTT client id of this instance (default rs-ingest-<hostname>)
  RS_INGEST_BATCH_FRAMES, RS_INGEST_BATCH_AGE_MS, RS_INGEST_MAX_PAYLOAD_BYTES,
  RS_INGEST_CLOCK_FUTURE_MS, RS_INGEST_CLOCK_PAST_MS, RS_INGEST_MIGRATE (1|0)
  RS_INGEST_WRITE_CONCURRENCY  batches written at once, one connection each (default 2)
  RS_INGEST_METRICS_PORT  serve Prometheus GET /metrics on this port (0 = a free one; unset = off)
  RS_INGEST_METRICS_HOST  its listen address (default 127.0.0.1)
`

export async function run (argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(USAGE); return }
  const cfg = readIngestConfig()
  const root = createRootLogger()
  const log = root.child({ component: 'ingest' })
  if (cfg.migrate) await migrate(cfg.databaseUrl, root.child({ component: 'migrate' }))
  const ingest = await startIngest({
    mqttUrl: cfg.mqttUrl,
    username: cfg.username,
    password: cfg.password,
    databaseUrl: cfg.databaseUrl,
    kafkaBrokers: cfg.kafkaBrokers ?? undefined,
    sharedGroup: cfg.sharedGroup ?? undefined,
    clientId: cfg.clientId,
    batchMaxFrames: cfg.batchMaxFrames,
    batchMaxAgeMs: cfg.batchMaxAgeMs,
    writeConcurrency: cfg.writeConcurrency,
    maxPayloadBytes: cfg.maxPayloadBytes,
    clockSkewFutureMs: cfg.clockSkewFutureMs,
    clockSkewPastMs: cfg.clockSkewPastMs,
    rollupFlushMs: cfg.rollupFlushMs,
    log
  })
  // issue 7: ingest's counters for Prometheus
  let metrics: { url: string, close (): Promise<void> } | null = null
  if (cfg.metricsPort !== null) {
    const registry = new MetricsRegistry()
    registerProcessMetrics(registry)
    registerIngestMetrics(registry, () => ingest.stats())
    metrics = await serveMetrics(registry, { host: cfg.metricsHost, port: cfg.metricsPort })
    log.info({ url: metrics.url }, 'metrics listening')
  }
  await new Promise<void>(resolve => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping ingest')
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve()
    }
    const onInt = (): void => stop('SIGINT')
    const onTerm = (): void => stop('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
  })
  await metrics?.close()
  await ingest.close()
  process.stdout.write(JSON.stringify(ingest.stats()) + '\n')
}
