export type { Spool, SpoolFrame, SpoolStats, SpoolBounds } from './types.js'
export { createMemorySpool, DEFAULT_MAX_BYTES, DEFAULT_MAX_FRAMES } from './memory.js'
