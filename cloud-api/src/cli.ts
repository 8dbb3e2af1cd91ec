// `rigstream api`: the REST + WebSocket API and dashboard on their own, reading the database that
// ingest writes and (with MQTT_URL) following rigs live over MQTT.
import pg from 'pg'
import { createRootLogger } from '../../common/src/logger.js'
import { LiveBus } from '../../common/src/live.js'
import { createTelemetryQueries } from '../../ingest/src/store/queries.js'
import { readApiConfig, API_USAGE } from './config.js'
import { startApi } from './server.js'
import { createPredictionStore } from '../../inference/src/worker/store.js'
import { requireProfile } from '../../common/src/profile.js'
import { startMqttLive, type MqttLive } from './live-mqtt.js'
import { startKafkaPredictionsFeed } from './live/kafka-predictions.js'
import { ensureAdmin } from './auth/bootstrap.js'
import { startModelCommands, type ModelCommands } from './models/commands.js'
import { readPublicKey } from '../../edge-agent/src/model-update/signing.js'

export async function run (argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(API_USAGE); return }
  const cfg = readApiConfig(process.env, argv)
  const root = createRootLogger()
  const log = root.child({ component: 'api' })
  const pool = new pg.Pool({ connectionString: cfg.databaseUrl, max: 10 })
  pool.on('error', err => log.warn({ err }, 'idle database connection failed'))
  const bus = new LiveBus()
  let live: MqttLive | undefined
  const closers: Array<() => Promise<void>> = [() => pool.end()]
  try {
    if (cfg.mqttUrl) {
      live = await startMqttLive({ url: cfg.mqttUrl, username: cfg.mqttUsername, password: cfg.mqttPassword, bus, log: log.child({ part: 'mqtt-live' }) })
      closers.unshift(() => live!.close())
    } else {
      log.warn('MQTT_URL is not set: REST only, the WebSocket will push nothing live and model rollouts are refused')
    }
    let commands: ModelCommands | null = null
    if (cfg.mqttUrl) {
      commands = await startModelCommands({ url: cfg.mqttUrl, username: cfg.mqttUsername, password: cfg.mqttPassword, clientId: cfg.commandsClientId, log: log.child({ part: 'commands' }) })
      const c = commands
      closers.unshift(() => c.close())
    }
    const publicKey = cfg.modelPublicKeyFile ? readPublicKey(cfg.modelPublicKeyFile, 'RS_MODEL_PUBLIC_KEY') : undefined
    if (cfg.kafkaBrokers) {
      // issue 6: standalone inference workers' predictions, pushed live like the edge's
      const feed = await startKafkaPredictionsFeed({ brokers: cfg.kafkaBrokers, bus, log: log.child({ part: 'kafka-live' }) })
      closers.unshift(() => feed.close())
    }
    if (!cfg.jwtSecret) log.warn('RS_JWT_SECRET is not set: auth is off, every route and every tenant is open')
    const auth = cfg.jwtSecret ? { pool, jwtSecret: cfg.jwtSecret, tokenTtlS: cfg.tokenTtlS, mqttUrl: cfg.mqttUrl ?? undefined } : undefined
    const api = await startApi({ host: cfg.host, port: cfg.port, queries: createTelemetryQueries(pool), bus, log, profileId: cfg.profileId, predictions: { store: createPredictionStore(pool), targets: requireProfile(cfg.profileId).targets.map(t => t.name) }, auth, models: { pool, commands, publicKey, publicUrl: cfg.publicUrl ?? undefined } })
    closers.unshift(() => api.close())
    process.stdout.write(`rigstream api: dashboard at ${api.url}/\n`)
    if (cfg.adminUser) {
      const admin = await ensureAdmin(pool, { tenant: null, username: cfg.adminUser })
      // printed once, to the terminal only: never through the logger
      if (admin.password) process.stdout.write(`rigstream api: created platform admin ${admin.username} with password ${admin.password} (shown once)\n`)
    }
  } catch (err) {
    for (const c of closers) await c().catch(() => {})
    throw err
  }
  await new Promise<void>(resolve => {
    const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve() }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  log.info('stopping')
  for (const c of closers) await c().catch(err => log.warn({ err }, 'close failed'))
}
