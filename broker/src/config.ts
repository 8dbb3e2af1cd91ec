// Settings of `rigstream broker`: read once from argv and the environment, validated, frozen.
import { parseArgs } from 'node:util'
import { rsError } from '../../common/src/errors.js'
import { DEFAULT_MAX_PAYLOAD_BYTES } from './server.js'
import { type Principal, assertValidPrincipal } from './principal.js'

export const DEFAULT_MQTT_PORT = 1883
export const DEFAULT_WS_PORT = 8083

export interface ServeConfig {
  command: 'serve'
  host: string
  /** a port given on the command line is required; a default one falls back to a free port when taken */
  port: { value: number, explicit: boolean }
  /** null = WebSocket off */
  wsPort: { value: number, explicit: boolean } | null
  databaseUrl: string
  maxPayloadBytes: number
}

export interface ProvisionConfig {
  command: 'provision'
  databaseUrl: string
  principal: Principal
}

export interface HelpConfig { command: 'help' }

export type BrokerConfig = ServeConfig | ProvisionConfig | HelpConfig

export const USAGE = `usage:
  rigstream broker [--host H] [--port N] [--ws-port N|off] [--max-payload-bytes N] [--database-url URL]
  rigstream broker provision --tenant T --rig R [--database-url URL]
  rigstream broker provision --service NAME [--database-url URL]

The credential store is PostgreSQL: --database-url, or DATABASE_URL in the environment.
Defaults: --host 127.0.0.1, --port ${DEFAULT_MQTT_PORT} and --ws-port ${DEFAULT_WS_PORT} (a free port when taken),
--max-payload-bytes ${DEFAULT_MAX_PAYLOAD_BYTES}. provision prints {"username","password"} once.
`

export function readBrokerConfig (argv: string[], env: NodeJS.ProcessEnv): BrokerConfig {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'ws-port': { type: 'string' },
        'max-payload-bytes': { type: 'string' },
        'database-url': { type: 'string' },
        tenant: { type: 'string' },
        rig: { type: 'string' },
        service: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', (err as Error).message)
  }
  const { values: v, positionals } = parsed
  if (v.help) return { command: 'help' }
  const sub = positionals[0] ?? 'serve'
  if (positionals.length > 1 || (sub !== 'serve' && sub !== 'provision')) throw rsError('RS_ERR_CONFIG', `unknown arguments ${JSON.stringify(positionals)}; expected nothing or "provision"`)
  const databaseUrl = dbUrl(v['database-url'] ?? env.DATABASE_URL)

  if (sub === 'provision') {
    for (const k of ['host', 'port', 'ws-port', 'max-payload-bytes'] as const) {
      if (v[k] !== undefined) throw rsError('RS_ERR_CONFIG', `--${k} does not apply to provision`)
    }
    let principal: Principal
    if (v.service !== undefined) {
      if (v.tenant !== undefined || v.rig !== undefined) throw rsError('RS_ERR_CONFIG', 'give either --service, or --tenant and --rig')
      principal = { kind: 'service', name: v.service }
    } else {
      if (v.tenant === undefined || v.rig === undefined) throw rsError('RS_ERR_CONFIG', 'provision needs --tenant and --rig (a device) or --service (a service account)')
      principal = { kind: 'device', tenant: v.tenant, rig: v.rig }
    }
    assertValidPrincipal(principal)
    return Object.freeze({ command: 'provision', databaseUrl, principal: Object.freeze(principal) })
  }

  for (const k of ['tenant', 'rig', 'service'] as const) {
    if (v[k] !== undefined) throw rsError('RS_ERR_CONFIG', `--${k} applies only to provision`)
  }
  const wsRaw = v['ws-port']
  return Object.freeze({
    command: 'serve',
    host: v.host ?? '127.0.0.1',
    port: v.port === undefined ? { value: DEFAULT_MQTT_PORT, explicit: false } : { value: int('--port', v.port, 0, 65535), explicit: true },
    wsPort: wsRaw === 'off' ? null : wsRaw === undefined ? { value: DEFAULT_WS_PORT, explicit: false } : { value: int('--ws-port', wsRaw, 0, 65535), explicit: true },
    databaseUrl,
    maxPayloadBytes: v['max-payload-bytes'] === undefined ? DEFAULT_MAX_PAYLOAD_BYTES : int('--max-payload-bytes', v['max-payload-bytes'], 1, 256 * 1024 * 1024)
  })
}

function dbUrl (raw: string | undefined): string {
  const url = raw?.trim()
  if (!url) throw rsError('RS_ERR_CONFIG', 'the credential store needs PostgreSQL: pass --database-url or set DATABASE_URL')
  if (!/^postgres(ql)?:\/\//.test(url)) throw rsError('RS_ERR_CONFIG', 'the database URL (--database-url or DATABASE_URL) must start with postgres:// or postgresql://')
  return url
}

function int (name: string, raw: string, min: number, max: number): number {
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw rsError('RS_ERR_CONFIG', `${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`)
  return n
}
