// `rigstream worker`: the cloud inference worker on its own, a member of a Kafka consumer group
// on rs.frames.v1, writing predictions to PostgreSQL and rs.predictions.v1. Run as many as
// rs.frames.v1 has partitions; they share the load.
import pg from 'pg'
import { createRootLogger } from '../../../common/src/logger.js'
import { migrate } from '../../../ingest/src/store/migrate.js'
import { readWorkerConfig, WORKER_USAGE } from './config.js'
import { startKafkaWorker } from './kafka.js'
import { createPredictionStore } from './store.js'
import { MetricsRegistry, registerProcessMetrics, serveMetrics } from '../../../common/src/metrics.js'
import { registerWorkerMetrics } from './metrics.js'

export async function run (argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(WORKER_USAGE); return }
  const cfg = readWorkerConfig(process.env, argv)
  const root = createRootLogger()
  const log = root.child({ component: 'worker' })
  if (cfg.migrate) await migrate(cfg.databaseUrl, root.child({ component: 'migrate' }))
  const pool = new pg.Pool({ connectionString: cfg.databaseUrl, max: 4 })
  pool.on('error', err => log.warn({ err: err.message }, 'idle PostgreSQL connection lost'))
  let worker
  try {
    worker = await startKafkaWorker({
      brokers: cfg.kafkaBrokers,
      groupId: cfg.groupId,
      clientId: cfg.clientId,
      store: createPredictionStore(pool),
      log,
      modelDir: cfg.modelDir ?? undefined,
      provider: cfg.provider,
      threads: cfg.threads,
      maxBatch: cfg.maxBatch,
      maxWaitMs: cfg.maxWaitMs,
      alertCycles: cfg.alertCycles,
      commitIntervalMs: cfg.commitIntervalMs,
      shadow: cfg.shadowModelDir ? { modelDir: cfg.shadowModelDir, labels: cfg.shadowLabels === 'uci' ? 'uci' : null, labelRigs: cfg.shadowLabelRigs } : null
    })
  } catch (err) {
    await pool.end()
    throw err
  }
  process.stdout.write(`rigstream worker: group ${cfg.groupId}, provider ${worker.provider}\n`)
  let metrics: { url: string, close (): Promise<void> } | null = null
  if (cfg.metricsPort !== null) {
    const registry = new MetricsRegistry()
    registerProcessMetrics(registry)
    const w = worker
    registerWorkerMetrics(registry, () => w.stats())
    metrics = await serveMetrics(registry, { host: cfg.metricsHost, port: cfg.metricsPort })
    log.info({ url: metrics.url }, 'metrics listening')
  }
  const every = setInterval(() => log.info(worker.stats(), 'worker stats'), 10_000)
  every.unref()
  await new Promise<void>(resolve => {
    const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve() }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  log.info('stopping')
  clearInterval(every)
  await metrics?.close()
  await worker.close()
  await pool.end()
}
