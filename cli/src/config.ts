import { rsError } from '../../common/src/errors.js'
import { readShadowConfig } from '../../inference/src/worker/config.js'

/** Settings of the embedded all-in-one process (`rigstream start` / `up`): read once, validated, frozen. */
export interface EmbeddedConfig {
  databaseUrl: string | null
  kafkaBrokers: string[] | null
  httpHost: string
  httpPort: number
  mqttPort: number
  mqttWsPort: number
  pgPort: number
  dataDir: string
  tenant: string
  rigs: number
  replayRigs: number
  speed: number
  seed: number
  /** issue 6: a candidate model package the embedded worker runs in shadow (RS_SHADOW_MODEL_DIR), scored with RS_SHADOW_LABELS */
  shadowModelDir: string | null
  shadowLabels: 'none' | 'uci'
  shadowLabelRigs: string | null
}

function int (env: NodeJS.ProcessEnv, key: string, dflt: number, min = 0, max = 65535): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw rsError('RS_ERR_CONFIG', `${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`)
  return n
}

export function readEmbeddedConfig (env: NodeJS.ProcessEnv = process.env): EmbeddedConfig {
  const kafka = env.KAFKA_BROKERS?.trim()
  const brokers = kafka ? kafka.split(',').map(s => s.trim()).filter(Boolean) : null
  for (const b of brokers ?? []) {
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) throw rsError('RS_ERR_CONFIG', `KAFKA_BROKERS entries must be host:port, got ${JSON.stringify(b)}`)
  }
  const dbUrl = env.DATABASE_URL?.trim() || null
  if (dbUrl && !/^postgres(ql)?:\/\//.test(dbUrl)) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL must start with postgres:// or postgresql://')
  const tenant = env.RS_TENANT ?? 'demo'
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenant)) throw rsError('RS_ERR_CONFIG', 'RS_TENANT must be 1-64 characters of A-Z a-z 0-9 _ -')
  const speed = Number(env.RS_SPEED ?? '1')
  if (!Number.isFinite(speed) || speed < 0) throw rsError('RS_ERR_CONFIG', 'RS_SPEED must be a number >= 0')
  return Object.freeze({
    databaseUrl: dbUrl,
    kafkaBrokers: brokers,
    httpHost: env.RS_HTTP_HOST ?? '127.0.0.1',
    httpPort: int(env, 'RS_HTTP_PORT', 8080),
    mqttPort: int(env, 'RS_MQTT_PORT', 1883),
    mqttWsPort: int(env, 'RS_MQTT_WS_PORT', 8083),
    pgPort: int(env, 'RS_PG_PORT', 5432),
    dataDir: env.RS_DATA_DIR ?? '.rigstream',
    tenant,
    rigs: int(env, 'RS_RIGS', 4, 0, 100000),
    replayRigs: int(env, 'RS_REPLAY_RIGS', 1, 0, 1000),
    speed,
    seed: int(env, 'RS_SEED', 1, 0, 2 ** 31 - 1),
    ...readShadowConfig(env, {}, '^uci-') // the embedded fleet's replay rigs are uci-NNN
  })
}
