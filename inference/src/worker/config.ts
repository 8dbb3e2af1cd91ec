// Settings of `rigstream worker`: the only reader of process.env for the worker. Read once,
// validated (the error names the bad key), frozen. Flags override the environment.
import { hostname } from 'node:os'
import { parseArgs } from 'node:util'
import { rsError } from '../../../common/src/errors.js'

export interface WorkerConfig {
  databaseUrl: string
  kafkaBrokers: string[]
  groupId: string
  clientId: string
  modelDir: string | null
  provider: 'auto' | 'cpu' | 'cuda'
  threads: number
  maxBatch: number
  maxWaitMs: number
  alertCycles: number
  commitIntervalMs: number
  /** serve Prometheus GET /metrics on this port (0 = a free one; null = off) and host */
  metricsPort: number | null
  metricsHost: string
  /** run migrations at start (default yes) */
  migrate: boolean
  /** a candidate model package run in shadow beside the active one (null: none) */
  shadowModelDir: string | null
  /** labels to score the candidate with: 'uci' (replayed UCI cycles, by cycle number) or 'none' */
  shadowLabels: 'none' | 'uci'
  /** with 'uci': pattern on the rig ids that replay UCI cycles (null: every rig) */
  shadowLabelRigs: string | null
}

export const WORKER_USAGE = `usage: rigstream worker [--group ID] [--model DIR] [--provider auto|cpu|cuda] [--threads N]
                        [--max-batch N] [--max-wait-ms MS] [--alert-cycles K]
                        [--shadow-model DIR] [--shadow-labels none|uci]
environment: DATABASE_URL and KAFKA_BROKERS (required); RS_WORKER_GROUP, RS_WORKER_CLIENT_ID,
  RS_MODEL_DIR, RS_WORKER_PROVIDER, RS_WORKER_THREADS, RS_WORKER_MAX_BATCH, RS_WORKER_MAX_WAIT_MS,
  RS_WORKER_ALERT_CYCLES, RS_WORKER_COMMIT_MS, RS_WORKER_MIGRATE (0|1),
  RS_WORKER_METRICS_PORT (serve Prometheus GET /metrics there; 0 = a free port; unset = off),
  RS_WORKER_METRICS_HOST (default 127.0.0.1),
  RS_SHADOW_MODEL_DIR (a candidate package run in shadow), RS_SHADOW_LABELS (none|uci),
  RS_SHADOW_LABEL_RIGS (pattern on rig ids: the rigs that replay UCI cycles; default every rig)
`

/** The shadow candidate's settings (shared with `npm start`, cli/src/config.ts). */
export function readShadowConfig (env: NodeJS.ProcessEnv, flags: { model?: string, labels?: string } = {}, defaultLabelRigs: string | null = null): { shadowModelDir: string | null, shadowLabels: 'none' | 'uci', shadowLabelRigs: string | null } {
  const dir = (flags.model ?? env.RS_SHADOW_MODEL_DIR ?? '').trim()
  const labels = (flags.labels ?? env.RS_SHADOW_LABELS ?? 'none').trim()
  if (labels !== 'none' && labels !== 'uci') throw rsError('RS_ERR_CONFIG', `RS_SHADOW_LABELS (--shadow-labels) must be none or uci, got ${JSON.stringify(labels)}`)
  if (labels === 'uci' && dir === '') throw rsError('RS_ERR_CONFIG', 'RS_SHADOW_LABELS (--shadow-labels) needs RS_SHADOW_MODEL_DIR (--shadow-model)')
  const rigs = env.RS_SHADOW_LABEL_RIGS?.trim() || defaultLabelRigs
  if (rigs !== null) {
    try { new RegExp(rigs) } catch (err) { throw rsError('RS_ERR_CONFIG', `RS_SHADOW_LABEL_RIGS must be a regular expression: ${(err as Error).message}`) }
  }
  return { shadowModelDir: dir === '' ? null : dir, shadowLabels: labels, shadowLabelRigs: rigs }
}

function int (key: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw rsError('RS_ERR_CONFIG', `${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`)
  return n
}

export function readWorkerConfig (env: NodeJS.ProcessEnv = process.env, argv: string[] = []): WorkerConfig {
  let flags
  try {
    flags = parseArgs({
      args: argv,
      options: {
        group: { type: 'string' }, model: { type: 'string' }, provider: { type: 'string' }, threads: { type: 'string' },
        'max-batch': { type: 'string' }, 'max-wait-ms': { type: 'string' }, 'alert-cycles': { type: 'string' },
        'shadow-model': { type: 'string' }, 'shadow-labels': { type: 'string' }
      },
      strict: true
    }).values
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', (err as Error).message)
  }
  const databaseUrl = env.DATABASE_URL?.trim()
  if (!databaseUrl) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL is required')
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw rsError('RS_ERR_CONFIG', 'DATABASE_URL must start with postgres:// or postgresql://')
  const kafka = env.KAFKA_BROKERS?.trim()
  if (!kafka) throw rsError('RS_ERR_CONFIG', 'KAFKA_BROKERS is required (the worker consumes rs.frames.v1)')
  const kafkaBrokers = kafka.split(',').map(s => s.trim()).filter(Boolean)
  for (const b of kafkaBrokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) throw rsError('RS_ERR_CONFIG', `KAFKA_BROKERS entries must be host:port, got ${JSON.stringify(b)}`)
  }
  const groupId = (flags.group ?? env.RS_WORKER_GROUP ?? 'rigstream-inference').trim()
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(groupId)) throw rsError('RS_ERR_CONFIG', 'RS_WORKER_GROUP (--group) must be 1-128 characters of A-Z a-z 0-9 . _ -')
  const provider = (flags.provider ?? env.RS_WORKER_PROVIDER ?? 'auto').trim()
  if (provider !== 'auto' && provider !== 'cpu' && provider !== 'cuda') throw rsError('RS_ERR_CONFIG', `RS_WORKER_PROVIDER (--provider) must be auto, cpu or cuda, got ${JSON.stringify(provider)}`)
  const shadow = readShadowConfig(env, { model: flags['shadow-model'], labels: flags['shadow-labels'] })
  const migrate = env.RS_WORKER_MIGRATE?.trim() ?? '1'
  if (migrate !== '0' && migrate !== '1') throw rsError('RS_ERR_CONFIG', 'RS_WORKER_MIGRATE must be 0 or 1')
  return Object.freeze({
    databaseUrl,
    kafkaBrokers,
    groupId,
    clientId: env.RS_WORKER_CLIENT_ID?.trim() || `rs-worker-${hostname()}-${process.pid}`,
    modelDir: flags.model ?? env.RS_MODEL_DIR?.trim() ?? null,
    provider,
    threads: int('RS_WORKER_THREADS (--threads)', flags.threads ?? env.RS_WORKER_THREADS, 1, 1, 64),
    maxBatch: int('RS_WORKER_MAX_BATCH (--max-batch)', flags['max-batch'] ?? env.RS_WORKER_MAX_BATCH, 256, 1, 4096),
    maxWaitMs: int('RS_WORKER_MAX_WAIT_MS (--max-wait-ms)', flags['max-wait-ms'] ?? env.RS_WORKER_MAX_WAIT_MS, 50, 0, 60_000),
    alertCycles: int('RS_WORKER_ALERT_CYCLES (--alert-cycles)', flags['alert-cycles'] ?? env.RS_WORKER_ALERT_CYCLES, 3, 0, 1000),
    commitIntervalMs: int('RS_WORKER_COMMIT_MS', env.RS_WORKER_COMMIT_MS, 1000, 10, 60_000),
    metricsPort: env.RS_WORKER_METRICS_PORT?.trim() ? int('RS_WORKER_METRICS_PORT', env.RS_WORKER_METRICS_PORT, 0, 0, 65535) : null,
    metricsHost: env.RS_WORKER_METRICS_HOST?.trim() || '127.0.0.1',
    migrate: migrate === '1',
    ...shadow
  })
}
