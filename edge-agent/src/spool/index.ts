export type { Spool, SpoolFrame, SpoolStats, SpoolBounds } from './types.js'
export { createMemorySpool, DEFAULT_MAX_BYTES, DEFAULT_MAX_FRAMES } from './memory.js'
export { createDiskSpool, DISK_DEFAULT_MAX_BYTES, DISK_DEFAULT_MAX_FRAMES, type DiskSpool, type DiskSpoolOptions, type FsyncPolicy } from './disk.js'
