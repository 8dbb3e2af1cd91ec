// Wiring for cross-component tests: the real parts, started on free ports.
import pg from 'pg'
import { pino } from 'pino'
import { LiveBus } from '../../common/src/live.js'
import { startBroker, type Broker } from '../../broker/src/server.js'
import { PgCredentialStore, provisionDevice, provisionService } from '../../broker/src/credentials.js'
import { startIngest } from '../../ingest/src/service.js'
import { migrate } from '../../ingest/src/store/migrate.js'
import { createTelemetryQueries } from '../../ingest/src/store/queries.js'
import { startApi } from '../../cloud-api/src/server.js'
import { freshDatabase } from '../support/pg.js'

export const log = pino({ level: process.env.RS_LOG_LEVEL ?? 'warn' })

export type Ingest = Awaited<ReturnType<typeof startIngest>>
export type Api = Awaited<ReturnType<typeof startApi>>

export interface Stack {
  databaseUrl: string
  pool: pg.Pool
  credentials: PgCredentialStore
  bus: LiveBus
  ingest: Ingest
  api: Api
  broker: Broker | null
  mqttUrl: string
  device (tenant: string, rig: string): Promise<{ username: string, password: string }>
  close (): Promise<void>
}

/**
 * Database + (aedes broker | an external MQTT URL) + ingest + cloud-api. With an external broker
 * (e.g. Mosquitto, anonymous) device credentials are not checked by the broker.
 */
export async function startStack (opts: { externalMqttUrl?: string, kafkaBrokers?: string[], sharedGroup?: string } = {}): Promise<Stack> {
  const databaseUrl = await freshDatabase('e2e')
  await migrate(databaseUrl, log)
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 })
  const credentials = new PgCredentialStore(pool)
  await credentials.migrate()
  const broker = opts.externalMqttUrl ? null : await startBroker({ port: 0, wsPort: null, credentials, log })
  const mqttUrl = opts.externalMqttUrl ?? broker!.url
  const svc = await provisionService(credentials, 'ingest')
  const bus = new LiveBus()
  const ingest = await startIngest({ mqttUrl, username: svc.username, password: svc.password, databaseUrl, kafkaBrokers: opts.kafkaBrokers, bus, log, sharedGroup: opts.sharedGroup })
  const api = await startApi({ port: 0, queries: createTelemetryQueries(pool), bus, log })
  return {
    databaseUrl,
    pool,
    credentials,
    bus,
    ingest,
    api,
    broker,
    mqttUrl,
    device: (tenant, rig) => provisionDevice(credentials, tenant, rig),
    async close () {
      await api.close()
      await ingest.close()
      await broker?.close()
      await pool.end()
    }
  }
}

export async function waitFor (cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 50))
  }
}
