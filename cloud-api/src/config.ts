// Settings of a standalone cloud-api (`rigstream api`): read once from env and argv, validated, frozen.
import { hostname } from 'node:os'
import { rsError } from '../../common/src/errors.js'
import { DEFAULT_PROFILE_ID, loadProfile } from '../../common/src/profile.js'

export interface ApiConfig {
  databaseUrl: string
  /** live feed; null = REST only, the WebSocket carries nothing */
  mqttUrl: string | null
  mqttUsername: string | null
  mqttPassword: string | null
  /** issue 6: live predictions of standalone inference workers from rs.predictions.v1; null = none */
  kafkaBrokers: string[] | null
  host: string
  port: number
  profileId: string
  /** HS256 key of operator tokens; null = auth off (open API, for local use) */
  jwtSecret: string | null
  tokenTtlS: number
  /** platform admin created at start when missing (its password printed once); null = none */
  adminUser: string | null
  /** Ed25519 public key (PEM file) model uploads must be signed with; null = not checked at upload */
  modelPublicKeyFile: string | null
  /** base URL agents reach this API at, for model download URLs; null = the listen URL */
  publicUrl: string | null
  /** MQTT client id of the model command session (persistent; one per api instance) */
  commandsClientId: string
}

export const API_USAGE = `usage: rigstream api [--host H] [--port N]

env:
  DATABASE_URL     postgres://... (required): the telemetry store ingest writes
  MQTT_URL         mqtt://host:port or ws://...: live feed for the WebSocket (optional)
  MQTT_USERNAME    service account of the broker (may subscribe to every rig)
  MQTT_PASSWORD
  KAFKA_BROKERS    host:port,...: also push the inference workers' predictions (rs.predictions.v1) live
  RS_HTTP_HOST     listen address (default 127.0.0.1); --host overrides
  RS_HTTP_PORT     listen port (default 8080, 0 = a free port); --port overrides
  RS_PROFILE       rig profile served at /api/v1/profile (default ${DEFAULT_PROFILE_ID})
  RS_JWT_SECRET    turns auth on (docs/api.md): HS256 key of operator tokens, at least 32 bytes
  RS_TOKEN_TTL_S   token lifetime in seconds (default 3600)
  RS_ADMIN_USER    with auth: a platform admin created at start when missing; its password is printed once
  RS_MODEL_PUBLIC_KEY  Ed25519 public key (PEM) model uploads must be signed with (the agents' model.publicKey)
  RS_PUBLIC_URL    base URL agents reach this API at, e.g. https://api.example.com (model downloads; default the listen URL)
  RS_COMMANDS_CLIENT_ID  MQTT client id of the api's command session (default rs-api-commands-<hostname>; one per instance)
`

function flag (argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  if (i < 0) return undefined
  const v = argv[i + 1]
  if (v === undefined || v.startsWith('--')) throw rsError('RS_ERR_CONFIG', `${name} needs a value`)
  return v
}

/** DATABASE_URL, required and checked (for `rigstream audit`). */
export function readDatabaseUrl (env: NodeJS.ProcessEnv): string {
  const databaseUrl = env.DATABASE_URL?.trim()
  if (!databaseUrl) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL is required')
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL must start with postgres:// or postgresql://')
  return databaseUrl
}

export function readApiConfig (env: NodeJS.ProcessEnv, argv: string[] = []): ApiConfig {
  for (const a of argv) {
    if (a.startsWith('--') && !['--host', '--port'].includes(a)) throw rsError('RS_ERR_CONFIG', `unknown option ${a}\n${API_USAGE}`)
  }
  const databaseUrl = env.DATABASE_URL?.trim()
  if (!databaseUrl) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL is required for rigstream api')
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL must start with postgres:// or postgresql://')
  const mqttUrl = env.MQTT_URL?.trim() || null
  if (mqttUrl && !/^(mqtts?|wss?|tcp):\/\//.test(mqttUrl)) throw rsError('RS_ERR_CONFIG', 'MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://')
  const portRaw = flag(argv, '--port') ?? env.RS_HTTP_PORT ?? '8080'
  const port = Number(portRaw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw rsError('RS_ERR_CONFIG', `RS_HTTP_PORT / --port must be an integer in [0, 65535], got ${JSON.stringify(portRaw)}`)
  const profileId = env.RS_PROFILE?.trim() || DEFAULT_PROFILE_ID
  if (!loadProfile(profileId)) throw rsError('RS_ERR_CONFIG', `RS_PROFILE ${JSON.stringify(profileId)} is not a known rig profile`)
  const kafka = env.KAFKA_BROKERS?.trim()
  const kafkaBrokers = kafka ? kafka.split(',').map(b => b.trim()).filter(Boolean) : null
  for (const b of kafkaBrokers ?? []) {
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) throw rsError('RS_ERR_CONFIG', `KAFKA_BROKERS entries must be host:port, got ${JSON.stringify(b)}`)
  }
  const mqttUsername = env.MQTT_USERNAME || null
  const mqttPassword = env.MQTT_PASSWORD || null
  if (mqttPassword && !mqttUsername) throw rsError('RS_ERR_CONFIG', 'MQTT_PASSWORD is set but MQTT_USERNAME is not')
  const jwtSecret = env.RS_JWT_SECRET || null
  if (jwtSecret !== null && Buffer.byteLength(jwtSecret, 'utf8') < 32) throw rsError('RS_ERR_CONFIG', 'RS_JWT_SECRET must be at least 32 bytes (e.g. openssl rand -base64 48)')
  const ttlRaw = env.RS_TOKEN_TTL_S ?? '3600'
  const tokenTtlS = Number(ttlRaw)
  if (!Number.isInteger(tokenTtlS) || tokenTtlS < 60 || tokenTtlS > 7 * 86400) throw rsError('RS_ERR_CONFIG', `RS_TOKEN_TTL_S must be an integer in [60, 604800], got ${JSON.stringify(ttlRaw)}`)
  const adminUser = env.RS_ADMIN_USER?.trim() || null
  if (adminUser !== null && !jwtSecret) throw rsError('RS_ERR_CONFIG', 'RS_ADMIN_USER needs RS_JWT_SECRET (auth is off without it)')
  if (adminUser !== null && !/^[A-Za-z0-9_.@-]{1,64}$/.test(adminUser)) throw rsError('RS_ERR_CONFIG', 'RS_ADMIN_USER must be 1-64 characters of A-Z a-z 0-9 _ . @ -')
  const modelPublicKeyFile = env.RS_MODEL_PUBLIC_KEY?.trim() || null
  const publicUrl = env.RS_PUBLIC_URL?.trim().replace(/\/+$/, '') || null
  if (publicUrl !== null && !/^https?:\/\/[^\s/]+/.test(publicUrl)) throw rsError('RS_ERR_CONFIG', `RS_PUBLIC_URL must be an http(s) URL, got ${JSON.stringify(publicUrl)}`)
  const commandsClientId = env.RS_COMMANDS_CLIENT_ID?.trim() || `rs-api-commands-${hostname()}`.slice(0, 128)
  return Object.freeze({
    modelPublicKeyFile,
    publicUrl,
    commandsClientId,
    jwtSecret,
    tokenTtlS,
    adminUser,
    databaseUrl,
    mqttUrl,
    mqttUsername,
    mqttPassword,
    kafkaBrokers,
    host: flag(argv, '--host') ?? env.RS_HTTP_HOST ?? '127.0.0.1',
    port,
    profileId
  })
}
