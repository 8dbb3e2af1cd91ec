// Which storage path a database is on (docs/storage.md). `timescale`: the timescaledb extension
// is installed; frame_channels is a hypertable and the rollups are continuous aggregates.
// `plain`: PostgreSQL alone; frame_channels is range-partitioned by day and ingest maintains the
// rollups. The choice is made once, by the first `migrate`, and recorded in rs_storage.
import type pg from 'pg'

export type StoragePath = 'timescale' | 'plain'
export type StorageChoice = StoragePath | 'auto'

type Queryable = Pick<pg.ClientBase, 'query'>

export const STORAGE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS rs_storage (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  path text NOT NULL CHECK (path IN ('timescale', 'plain')),
  chosen_at timestamptz NOT NULL DEFAULT now())`

/** The recorded path, or null before the first migrate (or on a database that has no rs_storage). */
export async function recordedStoragePath (db: Queryable): Promise<StoragePath | null> {
  const t = await db.query<{ t: string | null }>("SELECT to_regclass('rs_storage')::text AS t")
  if (t.rows[0].t === null) return null
  const r = await db.query<{ path: StoragePath }>('SELECT path FROM rs_storage')
  return r.rows[0]?.path ?? null
}

/**
 * Installs the timescaledb extension when it is available and loadable (a server needs it in
 * shared_preload_libraries); false when it cannot be. Not tried-and-rolled-back: a backend that
 * loaded the library once refuses a second CREATE EXTENSION in the same session.
 */
export async function installTimescale (db: Queryable): Promise<boolean> {
  const have = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")
  if (have.rowCount === 0) return false
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS timescaledb')
    return true
  } catch {
    return false
  }
}

/** Days (UTC) kept ahead of now by the plain path: partitions for today and the next 7 days. */
export const PARTITION_DAYS_AHEAD = 7
const DAY_US = 86_400_000_000

/** UTC day number (days since the epoch) of a time in µs. */
export const dayOf = (us: number): number => Math.floor(us / DAY_US)

const dayText = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10)

/**
 * Plain path: makes sure frame_channels has a daily partition for each UTC day in [fromDay, toDay]
 * (rs_ensure_frame_partitions of migration 002, which also moves frames that reached the DEFAULT
 * partition into their day's new partition). Runs in autocommit; returns the partitions made.
 */
export async function ensureFramePartitions (db: Queryable, fromDay: number, toDay: number): Promise<number> {
  const r = await db.query<{ made: number }>('SELECT rs_ensure_frame_partitions($1::date, $2::int) AS made', [dayText(fromDay), toDay - fromDay + 1])
  return r.rows[0].made
}
