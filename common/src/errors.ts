/**
 * The error catalogue. Every error the product raises on purpose has a code here; docs/errors.md
 * lists the same codes (a test keeps them in step). `retriable` is read by the one retry helper.
 */
export interface ErrorSpec { message: string, retriable: boolean, status?: number }

export const ERRORS = {
  // payload validation (ingest): each rejected payload is dead-lettered with one of these
  RS_ERR_DECODE: { message: 'payload is not a valid FrameBatch protobuf', retriable: false },
  RS_ERR_TOO_LARGE: { message: 'payload exceeds the size limit', retriable: false },
  RS_ERR_TOPIC: { message: 'topic is not rs/v1/{tenant}/{rig}/frames', retriable: false },
  RS_ERR_IDENTITY: { message: 'tenant or rig in the payload does not match the topic', retriable: false },
  RS_ERR_UNKNOWN_PROFILE: { message: 'rig profile is unknown', retriable: false },
  RS_ERR_UNKNOWN_CHANNEL: { message: 'channel is not in the rig profile', retriable: false },
  RS_ERR_DUPLICATE_CHANNEL: { message: 'channel appears twice in one frame', retriable: false },
  RS_ERR_RATE: { message: 'sample rate differs from the rig profile', retriable: false },
  RS_ERR_SAMPLE_COUNT: { message: 'sample count does not match rate x window', retriable: false },
  RS_ERR_NOT_FINITE: { message: 'sample is NaN or infinite', retriable: false },
  RS_ERR_OUT_OF_RANGE: { message: 'sample is outside the physical range of the channel', retriable: false },
  RS_ERR_CLOCK: { message: 'frame time is too far from server time', retriable: false },
  RS_ERR_WINDOW: { message: 'frame window length or channel start time is inconsistent with the rig profile', retriable: false },
  RS_ERR_SEQ: { message: 'seq is missing, zero or past 2^53', retriable: false },
  RS_ERR_EMPTY: { message: 'frame has no channels', retriable: false },
  // infrastructure
  RS_ERR_DB_UNAVAILABLE: { message: 'database is unavailable', retriable: true },
  RS_ERR_KAFKA_UNAVAILABLE: { message: 'Kafka is unavailable', retriable: true },
  // configuration
  RS_ERR_CONFIG: { message: 'invalid configuration', retriable: false },
  // auth
  RS_ERR_AUTH: { message: 'bad credentials', retriable: false, status: 401 },
  RS_ERR_FORBIDDEN: { message: 'not allowed', retriable: false, status: 403 },
  RS_ERR_NOT_FOUND: { message: 'not found', retriable: false, status: 404 },
  RS_ERR_CONFLICT: { message: 'already exists', retriable: false, status: 409 },
  RS_ERR_AUDIT_CHAIN: { message: 'audit log hash chain does not verify', retriable: false },
  // HTTP and WebSocket API (cloud-api)
  RS_ERR_BAD_REQUEST: { message: 'bad request', retriable: false, status: 400 },
  RS_ERR_WS_MESSAGE: { message: 'WebSocket message is not valid', retriable: false },
  RS_ERR_LIMIT: { message: 'a per-client limit is reached', retriable: false, status: 429 },
  RS_ERR_INTERNAL: { message: 'internal error', retriable: false, status: 500 },
  RS_ERR_DASHBOARD_NOT_BUILT: { message: 'the dashboard is not built (npm run build writes dist/web)', retriable: false, status: 503 },
  // edge agent
  RS_ERR_AGENT_STATE: { message: 'agent state file is unreadable or corrupt', retriable: false },
  RS_ERR_SOURCE_ENDED: { message: 'rig source has no more windows', retriable: false },
  // models
  RS_ERR_MODEL_HASH: { message: 'model package sha256 does not match its manifest', retriable: false },
  RS_ERR_MODEL_SIGNATURE: { message: 'model package signature is not valid', retriable: false },
  RS_ERR_MODEL_LOAD: { message: 'model failed to load', retriable: false },
  RS_ERR_MODEL_UNSUPPORTED: { message: 'model graph uses an operator or feature the TypeScript evaluator does not implement', retriable: false },
  RS_ERR_MODEL_SELFTEST: { message: 'model package failed its self-test', retriable: false },
  RS_ERR_MODEL_DOWNLOAD: { message: 'model package could not be downloaded', retriable: true },
  RS_ERR_MODEL_COMMAND: { message: 'model command is not valid', retriable: false },
  RS_ERR_DATASET: { message: 'data directory is not in the UCI layout', retriable: false },
  RS_ERR_MODEL_INPUT: { message: 'window does not fit the model (missing channel, wrong sample count or non-finite sample)', retriable: false },
  // model registry and rollouts (cloud-api)
  RS_ERR_MODEL_MANIFEST: { message: 'model package manifest is malformed', retriable: false, status: 400 },
  RS_ERR_MODEL_EXISTS: { message: 'this model version is already in the registry', retriable: false, status: 409 },
  RS_ERR_MODEL_TOO_LARGE: { message: 'model package upload exceeds the size limit', retriable: false, status: 413 },
  RS_ERR_COMMANDS_UNAVAILABLE: { message: 'cloud-api has no MQTT connection to send commands to rigs', retriable: true, status: 503 }
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERRORS

export class RigstreamError extends Error {
  readonly code: ErrorCode
  readonly retriable: boolean
  readonly statusCode?: number
  readonly detail?: string

  constructor (code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    const spec: ErrorSpec = ERRORS[code]
    super(detail ? `${spec.message}: ${detail}` : spec.message, options)
    this.name = 'RigstreamError'
    this.code = code
    this.retriable = spec.retriable
    this.statusCode = spec.status
    this.detail = detail
  }
}

export function rsError (code: ErrorCode, detail?: string, cause?: unknown): RigstreamError {
  return new RigstreamError(code, detail, cause === undefined ? undefined : { cause })
}

/** The one retry helper: retries only errors whose `retriable` is true, with capped exponential backoff and jitter. */
export async function withRetry<T> (fn: (attempt: number) => Promise<T>, opts: { retries?: number, minMs?: number, maxMs?: number, signal?: AbortSignal } = {}): Promise<T> {
  const retries = opts.retries ?? 5
  const minMs = opts.minMs ?? 100
  const maxMs = opts.maxMs ?? 10_000
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (err) {
      const retriable = (err as { retriable?: boolean }).retriable === true
      if (!retriable || attempt >= retries || opts.signal?.aborted) throw err
      const cap = Math.min(maxMs, minMs * 2 ** attempt)
      await new Promise(resolve => setTimeout(resolve, cap / 2 + Math.random() * cap / 2))
    }
  }
}
