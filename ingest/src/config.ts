// Settings of `rigstream ingest` and `rigstream migrate`: the only reader of process.env for
// ingest. Read once, validated (the error names the bad key), frozen.
import { hostname } from 'node:os'
import { rsError } from '../../common/src/errors.js'
import { DEFAULT_LIMITS } from './validate.js'

export interface MigrateConfig { databaseUrl: string }

export interface IngestConfig extends MigrateConfig {
  mqttUrl: string
  username: string
  password: string
  kafkaBrokers: string[] | null
  sharedGroup: string | null
  clientId: string
  batchMaxFrames: number
  batchMaxAgeMs: number
  /** batches written at once, each on its own PostgreSQL connection */
  writeConcurrency: number
  maxPayloadBytes: number
  clockSkewFutureMs: number
  clockSkewPastMs: number
  /** plain path: rollups folded this often after the commit; 0 = in each batch's transaction */
  rollupFlushMs: number
  /** run migrations before subscribing */
  migrate: boolean
  /** Prometheus /metrics listener (issue 7); null = none */
  metricsPort: number | null
  metricsHost: string
}

function required (env: NodeJS.ProcessEnv, key: string): string {
  const v = env[key]?.trim()
  if (!v) throw rsError('RS_ERR_CONFIG', `${key} is required`)
  return v
}

function int (env: NodeJS.ProcessEnv, key: string, dflt: number, min: number, max: number): number {
  const raw = env[key]?.trim()
  if (raw === undefined || raw === '') return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw rsError('RS_ERR_CONFIG', `${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`)
  return n
}

export function readMigrateConfig (env: NodeJS.ProcessEnv = process.env): MigrateConfig {
  const databaseUrl = required(env, 'DATABASE_URL')
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL must start with postgres:// or postgresql://')
  return Object.freeze({ databaseUrl })
}

export function readIngestConfig (env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const base = readMigrateConfig(env)
  const mqttUrl = required(env, 'MQTT_URL')
  if (!/^(mqtts?|wss?|tcp|tls):\/\//.test(mqttUrl)) throw rsError('RS_ERR_CONFIG', 'MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://')
  const kafka = env.KAFKA_BROKERS?.trim()
  const kafkaBrokers = kafka ? kafka.split(',').map(s => s.trim()).filter(Boolean) : null
  for (const b of kafkaBrokers ?? []) {
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) throw rsError('RS_ERR_CONFIG', `KAFKA_BROKERS entries must be host:port, got ${JSON.stringify(b)}`)
  }
  const sharedGroup = env.RS_INGEST_SHARED_GROUP?.trim() || null
  if (sharedGroup !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(sharedGroup)) throw rsError('RS_ERR_CONFIG', 'RS_INGEST_SHARED_GROUP must be 1-64 characters of A-Z a-z 0-9 _ -')
  const clientId = env.RS_INGEST_CLIENT_ID?.trim() || `rs-ingest-${hostname()}`
  if (clientId.length > 128) throw rsError('RS_ERR_CONFIG', 'RS_INGEST_CLIENT_ID is longer than 128 characters')
  const migrate = env.RS_INGEST_MIGRATE?.trim() ?? '1'
  if (migrate !== '0' && migrate !== '1') throw rsError('RS_ERR_CONFIG', 'RS_INGEST_MIGRATE must be 0 or 1')
  return Object.freeze({
    ...base,
    mqttUrl,
    username: env.MQTT_USERNAME?.trim() || 'svc:ingest',
    password: required(env, 'MQTT_PASSWORD'),
    kafkaBrokers,
    sharedGroup,
    clientId,
    batchMaxFrames: int(env, 'RS_INGEST_BATCH_FRAMES', 500, 1, 100_000),
    batchMaxAgeMs: int(env, 'RS_INGEST_BATCH_AGE_MS', 50, 1, 60_000),
    writeConcurrency: int(env, 'RS_INGEST_WRITE_CONCURRENCY', 2, 1, 8),
    maxPayloadBytes: int(env, 'RS_INGEST_MAX_PAYLOAD_BYTES', DEFAULT_LIMITS.maxPayloadBytes, 1024, 256 * 1024 * 1024),
    clockSkewFutureMs: int(env, 'RS_INGEST_CLOCK_FUTURE_MS', DEFAULT_LIMITS.clockSkewFutureMs, 0, 365 * 86_400_000),
    clockSkewPastMs: int(env, 'RS_INGEST_CLOCK_PAST_MS', DEFAULT_LIMITS.clockSkewPastMs, 0, 3650 * 86_400_000),
    rollupFlushMs: int(env, 'RS_INGEST_ROLLUP_FLUSH_MS', 10_000, 0, 600_000),
    migrate: migrate === '1',
    metricsPort: env.RS_INGEST_METRICS_PORT?.trim() ? int(env, 'RS_INGEST_METRICS_PORT', 0, 0, 65535) : null,
    metricsHost: env.RS_INGEST_METRICS_HOST?.trim() || '127.0.0.1'
  })
}
