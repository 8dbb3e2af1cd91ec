// The agent's configuration: a JSON file, then RS_AGENT_* environment variables, then command-line
// flags (each overrides the one before). Read once, validated (errors name the bad key and where
// it came from, code RS_ERR_CONFIG), frozen. The only reader of process.env in the agent.
import { existsSync, readFileSync } from 'node:fs'
import type { KeyObject } from 'node:crypto'
import { DEFAULT_MODEL_DIR } from '../../inference/src/package.js'
import { readPublicKey } from './model-update/signing.js'
import { rsError } from '../../common/src/errors.js'
import { isValidId } from '../../schemas/src/index.js'
import { FAULT_LEVELS, type Faults } from './sources/sim-physics.js'

export interface AgentSourceConfig {
  kind: 'replay' | 'simulator'
  /** simulator seed */
  seed: number
  /** simulator fault levels */
  faults: Partial<Faults>
  /** replay folder (default: edge-agent/data/uci-hydraulic) */
  dir?: string
  /** replay: original cycle number to start at */
  startCycle?: number
  /** replay: start again after the last cycle */
  loop: boolean
}

export interface AgentModelConfig {
  /** local diagnosis on (default) or off */
  enabled: boolean
  /** the package used until an update is active (default: the reference package) */
  dir: string
  /**
   * 'ts' (default): the TypeScript evaluator (inference/src/ts-backend; no ONNX Runtime in the
   * process), falling back to 'auto' for a graph it does not implement; 'auto': onnxruntime-node,
   * else onnxruntime-web (WASM); 'node' / 'web' force one
   */
  backend: 'ts' | 'auto' | 'node' | 'web'
  /** PEM file of the Ed25519 key updates must be signed with; unset = no updates accepted */
  publicKeyFile?: string
  /** the key, read and checked at start */
  publicKey?: KeyObject
  /** cloud-api base of model packages, e.g. https://api.example.com/api/v1/models */
  updateBaseUrl?: string
}

export interface AgentAlertConfig {
  confirmCycles: number
  minProbability: number
}

export interface AgentOpsConfig {
  /** health + Prometheus metrics port; unset = off */
  port?: number
  /** listen address (default 127.0.0.1) */
  host: string
}

export interface AgentSpoolConfig {
  /** disk spool fsync policy (default in the agent: always) */
  fsync?: 'always' | 'interval' | 'never'
  maxFrames?: number
  maxBytes?: number
}

export interface AgentConfig {
  broker: string
  tenant: string
  rig: string
  username?: string
  password?: string
  clientId?: string
  stateDir: string
  speed: number
  maxInflight: number
  source: AgentSourceConfig
  spool: AgentSpoolConfig
  /** frames published per second at most (paces replay after an outage); default: the agent's */
  publishRate?: number
  /** HTTP(S) URL whose Date header is server time, for clock-drift reporting */
  timeUrl?: string
  model: AgentModelConfig
  alerts: AgentAlertConfig
  ops: AgentOpsConfig
}

type Kind = 'string' | 'id' | 'url' | 'number' | 'int' | 'bool' | 'source' | 'faults' | 'backend' | 'httpUrl' | 'port' | 'dir' | 'file' | 'fsync'

/** every setting: config-file path, environment variable, command-line flag, type */
const KEYS: ReadonlyArray<{ path: string, env: string, flag: string, kind: Kind }> = [
  { path: 'broker', env: 'RS_AGENT_BROKER', flag: 'broker', kind: 'url' },
  { path: 'tenant', env: 'RS_AGENT_TENANT', flag: 'tenant', kind: 'id' },
  { path: 'rig', env: 'RS_AGENT_RIG', flag: 'rig', kind: 'id' },
  { path: 'username', env: 'RS_AGENT_USERNAME', flag: 'username', kind: 'string' },
  { path: 'password', env: 'RS_AGENT_PASSWORD', flag: 'password', kind: 'string' },
  { path: 'clientId', env: 'RS_AGENT_CLIENT_ID', flag: 'client-id', kind: 'string' },
  { path: 'stateDir', env: 'RS_AGENT_STATE_DIR', flag: 'state-dir', kind: 'string' },
  { path: 'speed', env: 'RS_AGENT_SPEED', flag: 'speed', kind: 'number' },
  { path: 'maxInflight', env: 'RS_AGENT_MAX_INFLIGHT', flag: 'max-inflight', kind: 'int' },
  { path: 'source.kind', env: 'RS_AGENT_SOURCE', flag: 'source', kind: 'source' },
  { path: 'source.seed', env: 'RS_AGENT_SEED', flag: 'seed', kind: 'int' },
  { path: 'source.faults', env: 'RS_AGENT_FAULTS', flag: 'faults', kind: 'faults' },
  { path: 'source.dir', env: 'RS_AGENT_REPLAY_DIR', flag: 'replay-dir', kind: 'string' },
  { path: 'source.startCycle', env: 'RS_AGENT_START_CYCLE', flag: 'start-cycle', kind: 'int' },
  { path: 'source.loop', env: 'RS_AGENT_LOOP', flag: 'loop', kind: 'bool' },
  { path: 'spool.fsync', env: 'RS_AGENT_SPOOL_FSYNC', flag: 'spool-fsync', kind: 'fsync' },
  { path: 'spool.maxFrames', env: 'RS_AGENT_SPOOL_MAX_FRAMES', flag: 'spool-max-frames', kind: 'int' },
  { path: 'spool.maxBytes', env: 'RS_AGENT_SPOOL_MAX_BYTES', flag: 'spool-max-bytes', kind: 'int' },
  { path: 'publishRate', env: 'RS_AGENT_PUBLISH_RATE', flag: 'publish-rate', kind: 'number' },
  { path: 'timeUrl', env: 'RS_AGENT_TIME_URL', flag: 'time-url', kind: 'httpUrl' },
  { path: 'model.enabled', env: 'RS_AGENT_MODEL_ENABLED', flag: 'model-enabled', kind: 'bool' },
  { path: 'model.dir', env: 'RS_AGENT_MODEL_DIR', flag: 'model-dir', kind: 'dir' },
  { path: 'model.backend', env: 'RS_AGENT_MODEL_BACKEND', flag: 'model-backend', kind: 'backend' },
  { path: 'model.publicKey', env: 'RS_AGENT_MODEL_PUBLIC_KEY', flag: 'model-public-key', kind: 'file' },
  { path: 'model.updateBaseUrl', env: 'RS_AGENT_MODEL_UPDATE_URL', flag: 'model-update-url', kind: 'httpUrl' },
  { path: 'alerts.confirmCycles', env: 'RS_AGENT_ALERT_CONFIRM_CYCLES', flag: 'alert-confirm-cycles', kind: 'int' },
  { path: 'alerts.minProbability', env: 'RS_AGENT_ALERT_MIN_PROBABILITY', flag: 'alert-min-probability', kind: 'number' },
  { path: 'ops.port', env: 'RS_AGENT_OPS_PORT', flag: 'ops-port', kind: 'port' },
  { path: 'ops.host', env: 'RS_AGENT_OPS_HOST', flag: 'ops-host', kind: 'string' }
]

export const CONFIG_FLAGS: readonly string[] = KEYS.map(k => k.flag)

const DEFAULTS: Record<string, unknown> = {
  stateDir: '.rigstream/agent',
  speed: 1,
  maxInflight: 64,
  'source.kind': 'simulator',
  'source.seed': 1,
  'source.faults': {},
  'source.loop': true,
  'model.enabled': true,
  'model.dir': DEFAULT_MODEL_DIR,
  'model.backend': 'ts',
  'alerts.confirmCycles': 2,
  'alerts.minProbability': 0.6,
  'ops.host': '127.0.0.1'
}

export interface LoadOptions {
  /** JSON config file */
  file?: string
  /** default process.env */
  env?: NodeJS.ProcessEnv
  /** command-line values by flag name (strings as typed) */
  flags?: Record<string, string | undefined>
}

export function loadAgentConfig (opts: LoadOptions = {}): Readonly<AgentConfig> {
  const env = opts.env ?? process.env
  const raw = new Map<string, { value: unknown, from: string }>()
  for (const [path, value] of Object.entries(DEFAULTS)) raw.set(path, { value, from: 'default' })
  if (opts.file) for (const [path, value] of flattenFile(opts.file)) raw.set(path, { value, from: opts.file })
  for (const name of Object.keys(env)) {
    // RS_AGENT_REEXEC is read by bin/rigstream.js before the agent starts (docs/edge.md, "Node flags")
    if (name.startsWith('RS_AGENT_') && name !== 'RS_AGENT_REEXEC' && !KEYS.some(k => k.env === name)) {
      throw rsError('RS_ERR_CONFIG', `${name} is not a setting of the agent (known: ${KEYS.map(k => k.env).join(', ')})`)
    }
  }
  for (const k of KEYS) {
    const v = env[k.env]
    if (v !== undefined && v !== '') raw.set(k.path, { value: v, from: k.env })
  }
  for (const [flag, v] of Object.entries(opts.flags ?? {})) {
    const k = KEYS.find(x => x.flag === flag)
    if (!k) throw rsError('RS_ERR_CONFIG', `--${flag} is not an option of rigstream agent`)
    if (v !== undefined) raw.set(k.path, { value: v, from: `--${flag}` })
  }
  const out: Record<string, unknown> = {}
  for (const k of KEYS) {
    const r = raw.get(k.path)
    if (r !== undefined) out[k.path] = parse(k.kind, r.value, `${k.path} (from ${r.from})`)
  }
  for (const required of ['broker', 'tenant', 'rig']) {
    if (out[required] === undefined) {
      const k = KEYS.find(x => x.path === required)
      throw rsError('RS_ERR_CONFIG', `${required} is required (config file key "${required}", ${k?.env}, or --${k?.flag})`)
    }
  }
  const speed = out.speed as number
  if (speed < 0) throw rsError('RS_ERR_CONFIG', `speed (from ${raw.get('speed')?.from}) must be >= 0 (0 = as fast as the broker acks)`)
  const maxInflight = out.maxInflight as number
  if (maxInflight < 1 || maxInflight > 65535) throw rsError('RS_ERR_CONFIG', `maxInflight (from ${raw.get('maxInflight')?.from}) must be in [1, 65535]`)
  const startCycle = out['source.startCycle'] as number | undefined
  if (startCycle !== undefined && startCycle < 0) throw rsError('RS_ERR_CONFIG', `source.startCycle (from ${raw.get('source.startCycle')?.from}) must be >= 0`)
  const from = (path: string): string => `${path} (from ${raw.get(path)?.from})`
  const confirmCycles = out['alerts.confirmCycles'] as number
  if (confirmCycles < 1 || confirmCycles > 1000) throw rsError('RS_ERR_CONFIG', `${from('alerts.confirmCycles')} must be in [1, 1000]`)
  const minProbability = out['alerts.minProbability'] as number
  if (!(minProbability > 0 && minProbability <= 1)) throw rsError('RS_ERR_CONFIG', `${from('alerts.minProbability')} must be in (0, 1]`)
  for (const k of ['spool.maxFrames', 'spool.maxBytes'] as const) {
    const v = out[k] as number | undefined
    if (v !== undefined && v < 1) throw rsError('RS_ERR_CONFIG', `${from(k)} must be >= 1`)
  }
  const publishRate = out.publishRate as number | undefined
  if (publishRate !== undefined && !(publishRate > 0)) throw rsError('RS_ERR_CONFIG', `${from('publishRate')} must be > 0 (frames per second)`)
  const publicKeyFile = out['model.publicKey'] as string | undefined
  const publicKey = publicKeyFile === undefined ? undefined : readPublicKey(publicKeyFile, from('model.publicKey'))
  const model: AgentModelConfig = Object.freeze({
    enabled: out['model.enabled'] as boolean,
    dir: out['model.dir'] as string,
    backend: out['model.backend'] as AgentModelConfig['backend'],
    publicKeyFile,
    publicKey,
    updateBaseUrl: out['model.updateBaseUrl'] as string | undefined
  })
  const source: AgentSourceConfig = Object.freeze({
    kind: out['source.kind'] as AgentSourceConfig['kind'],
    seed: out['source.seed'] as number,
    faults: Object.freeze(out['source.faults'] as Partial<Faults>),
    dir: out['source.dir'] as string | undefined,
    startCycle,
    loop: out['source.loop'] as boolean
  })
  return Object.freeze({
    broker: out.broker as string,
    tenant: out.tenant as string,
    rig: out.rig as string,
    username: out.username as string | undefined,
    password: out.password as string | undefined,
    clientId: out.clientId as string | undefined,
    stateDir: out.stateDir as string,
    speed,
    maxInflight,
    source,
    spool: Object.freeze({ fsync: out['spool.fsync'] as AgentSpoolConfig['fsync'], maxFrames: out['spool.maxFrames'] as number | undefined, maxBytes: out['spool.maxBytes'] as number | undefined }),
    publishRate,
    timeUrl: out.timeUrl as string | undefined,
    model,
    alerts: Object.freeze({ confirmCycles, minProbability }),
    ops: Object.freeze({ port: out['ops.port'] as number | undefined, host: out['ops.host'] as string })
  })
}

function flattenFile (file: string): Array<[string, unknown]> {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', `cannot read config file ${file}: ${(err as Error).message}`, err)
  }
  if (!isObject(json)) throw rsError('RS_ERR_CONFIG', `config file ${file} must hold a JSON object`)
  const out: Array<[string, unknown]> = []
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(obj)) {
      const path = prefix + key
      if (KEYS.some(k => k.path === path)) out.push([path, value])
      else if (isObject(value) && KEYS.some(k => k.path.startsWith(path + '.'))) walk(value, path + '.')
      else throw rsError('RS_ERR_CONFIG', `${path} (from ${file}) is not a setting of the agent (known: ${KEYS.map(k => k.path).join(', ')})`)
    }
  }
  walk(json, '')
  return out
}

function parse (kind: Kind, value: unknown, where: string): unknown {
  const bad = (what: string): never => { throw rsError('RS_ERR_CONFIG', `${where} must be ${what}, got ${JSON.stringify(value)}`) }
  switch (kind) {
    case 'string':
      return typeof value === 'string' && value.length > 0 ? value : bad('a non-empty string')
    case 'id':
      return typeof value === 'string' && isValidId(value) ? value : bad('1-64 characters of A-Z a-z 0-9 _ -')
    case 'url': {
      if (typeof value !== 'string') return bad('a broker URL')
      let u: URL
      try { u = new URL(value) } catch { return bad('a broker URL such as mqtt://host:1883') }
      return ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'tls:', 'ws:', 'wss:'].includes(u.protocol) ? value : bad('an mqtt://, mqtts://, ws:// or wss:// URL')
    }
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      return typeof n === 'number' && Number.isFinite(n) ? n : bad('a number')
    }
    case 'int': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : bad('an integer')
    }
    case 'bool':
      if (typeof value === 'boolean') return value
      if (value === 'true' || value === '1') return true
      if (value === 'false' || value === '0') return false
      return bad('true or false')
    case 'source':
      return value === 'replay' || value === 'simulator' ? value : bad('"replay" or "simulator"')
    case 'faults':
      return parseFaults(value, where)
    case 'fsync':
      return value === 'always' || value === 'interval' || value === 'never' ? value : bad('"always", "interval" or "never"')
    case 'backend':
      return value === 'ts' || value === 'auto' || value === 'node' || value === 'web' ? value : bad('"ts", "auto", "node" or "web"')
    case 'httpUrl': {
      if (typeof value !== 'string') return bad('an http:// or https:// URL')
      let u: URL
      try { u = new URL(value) } catch { return bad('an http:// or https:// URL') }
      return u.protocol === 'http:' || u.protocol === 'https:' ? value : bad('an http:// or https:// URL')
    }
    case 'port': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535 ? n : bad('a port number in [0, 65535] (0 = any free port)')
    }
    case 'dir':
      if (typeof value !== 'string' || value.length === 0) return bad('a directory')
      return existsSync(value) ? value : bad('an existing directory')
    case 'file':
      if (typeof value !== 'string' || value.length === 0) return bad('a file path')
      return existsSync(value) ? value : bad('an existing file')
  }
}

/** `{ "cooler": 20, "valve": 90 }` in the file, `cooler=20,valve=90` in the environment or a flag */
function parseFaults (value: unknown, where: string): Partial<Faults> {
  let obj: Record<string, unknown>
  if (typeof value === 'string') {
    obj = {}
    for (const part of value.split(',').map(s => s.trim()).filter(Boolean)) {
      const [k, v, extra] = part.split('=')
      if (v === undefined || extra !== undefined) throw rsError('RS_ERR_CONFIG', `${where} must look like cooler=20,valve=90, got ${JSON.stringify(value)}`)
      obj[k.trim()] = Number(v)
    }
  } else if (isObject(value)) {
    obj = value
  } else {
    throw rsError('RS_ERR_CONFIG', `${where} must be an object such as {"cooler": 20}, got ${JSON.stringify(value)}`)
  }
  const out: Partial<Record<keyof Faults, number>> = {}
  for (const [k, v] of Object.entries(obj)) {
    const levels = (FAULT_LEVELS as Record<string, readonly number[]>)[k]
    if (!levels) throw rsError('RS_ERR_CONFIG', `${where}: ${k} is not a fault type (cooler, valve, pump, accumulator)`)
    if (typeof v !== 'number' || !levels.includes(v)) throw rsError('RS_ERR_CONFIG', `${where}: ${k} must be one of ${levels.join(', ')}, got ${JSON.stringify(v)}`)
    out[k as keyof Faults] = v
  }
  return out as Partial<Faults>
}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
