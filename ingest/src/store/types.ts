/** Read-side contract of telemetry storage, used by cloud-api. Same results on TimescaleDB and plain PostgreSQL. */
export interface RigSummary {
  tenant: string
  rig: string
  profile: string
  lastSeq: number
  /** window start of the newest stored frame, µs since epoch */
  lastSeenUs: number
  /** number of stored frame batches */
  frames: number
}

export interface FrameRow {
  seq: number
  channel: string
  startUs: number
  rateHz: number
  samples: number[]
  min: number
  max: number
  mean: number
}

export interface SeriesQuery { tenant: string, rig: string, channel: string, fromUs: number, toUs: number }

export interface TelemetryQueries {
  listRigs (tenant?: string): Promise<RigSummary[]>
  /** newest frames of one rig, newest first */
  recentFrames (q: { tenant: string, rig: string, channels?: string[], sinceUs?: number, limit?: number }): Promise<FrameRow[]>
  /** every sample of one channel in [fromUs, toUs) with its time */
  rawSamples (q: SeriesQuery): Promise<{ t: number[], v: number[] }>
  /** min/max/mean envelope of about `points` buckets over [fromUs, toUs) */
  envelope (q: SeriesQuery & { points: number }): Promise<{ t: number[], min: number[], max: number[], mean: number[] }>
}
