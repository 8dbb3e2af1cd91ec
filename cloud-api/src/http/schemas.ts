// JSON schemas shared by the REST routes (validated by ajv, serialised by fast-json-stringify).
export const ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
export const CHANNEL = { type: 'string', pattern: '^[A-Za-z0-9_]{1,32}$' } as const
/** µs since the Unix epoch */
export const MICROS = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const
const numbers = { type: 'array', items: { type: 'number' } } as const

export const rigParams = {
  type: 'object',
  properties: { tenant: ID, rig: ID },
  required: ['tenant', 'rig']
} as const

export const rigSummary = {
  type: 'object',
  properties: {
    tenant: { type: 'string' },
    rig: { type: 'string' },
    profile: { type: 'string' },
    lastSeq: { type: 'integer' },
    lastSeenUs: { type: 'integer' },
    frames: { type: 'integer' },
    /** last RigState seen live: ONLINE, OFFLINE, or UNKNOWN when none was seen by this process */
    status: { type: 'string' }
  },
  required: ['tenant', 'rig', 'profile', 'lastSeq', 'lastSeenUs', 'frames', 'status']
} as const

export const frameRow = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    channel: { type: 'string' },
    startUs: { type: 'integer' },
    rateHz: { type: 'number' },
    samples: numbers,
    min: { type: 'number' },
    max: { type: 'number' },
    mean: { type: 'number' }
  },
  required: ['seq', 'channel', 'startUs', 'rateHz', 'samples', 'min', 'max', 'mean']
} as const

export const seriesResponse = {
  type: 'object',
  properties: {
    tenant: { type: 'string' },
    rig: { type: 'string' },
    channel: { type: 'string' },
    fromUs: { type: 'integer' },
    toUs: { type: 'integer' },
    mode: { type: 'string', enum: ['raw', 'envelope'] },
    t: numbers,
    v: numbers,
    min: numbers,
    max: numbers,
    mean: numbers
  },
  required: ['tenant', 'rig', 'channel', 'fromUs', 'toUs', 'mode', 't']
} as const

export const errorResponses = { 400: { $ref: 'rs.error#' }, 404: { $ref: 'rs.error#' } } as const
