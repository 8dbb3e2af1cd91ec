// Versioned migrations: ingest/src/store/migrations/NNN_name.sql, applied in order, each in its
// own transaction, recorded in schema_migrations. A session advisory lock lets several ingest
// instances (or `rigstream migrate`) start at once. Migrations only add; none drops data.
// A version may come as two variants, NNN_name.timescale.sql and NNN_name.plain.sql: the one for
// the database's storage path (./storage.ts, chosen by the first run and recorded) is applied.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { repoPath } from '../../../common/src/paths.js'
import type { Logger } from '../../../common/src/logger.js'
import { rsError } from '../../../common/src/errors.js'
import { classifyPgError } from './pg-errors.js'
import { STORAGE_TABLE_SQL, dayOf, ensureFramePartitions, PARTITION_DAYS_AHEAD, recordedStoragePath, installTimescale, type StorageChoice, type StoragePath } from './storage.js'

export const MIGRATIONS_DIR = repoPath('ingest', 'src', 'store', 'migrations')
const LOCK_KEY = 7_305_114_001 // arbitrary, fixed: "rigstream migrate"

export interface Migration { version: number, name: string, file: string, sql: string, sha256: string }

/** The migrations for one storage path, in order (a variant-free file serves both paths). */
export function listMigrations (dir: string = MIGRATIONS_DIR, path: StoragePath = 'plain'): Migration[] {
  const byVersion = new Map<number, { name: string, files: Map<string, string> }>()
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{3,})_([a-z0-9_]+?)(?:\.(timescale|plain))?\.sql$/.exec(file)
    if (!m) continue
    const version = Number(m[1])
    const v = byVersion.get(version) ?? { name: m[2], files: new Map<string, string>() }
    if (v.name !== m[2]) throw rsError('RS_ERR_CONFIG', `two migrations share version ${version}`)
    const variant = m[3] ?? 'both'
    if (v.files.has(variant)) throw rsError('RS_ERR_CONFIG', `two migrations share version ${version}`)
    v.files.set(variant, file)
    byVersion.set(version, v)
  }
  const out: Migration[] = []
  for (const [version, v] of [...byVersion].sort((a, b) => a[0] - b[0])) {
    if (v.files.has('both') && v.files.size > 1) throw rsError('RS_ERR_CONFIG', `migration ${version} has both a plain file and path variants`)
    if (!v.files.has('both') && v.files.size !== 2) throw rsError('RS_ERR_CONFIG', `migration ${version} needs both a .timescale.sql and a .plain.sql variant`)
    const file = v.files.get('both') ?? v.files.get(path)!
    const sql = readFileSync(`${dir}/${file}`, 'utf8')
    out.push({ version, name: v.name, file, sql, sha256: createHash('sha256').update(sql).digest('hex') })
  }
  return out
}

export interface MigrateResult { applied: number[], current: number, storage: StoragePath }

export interface MigrateOptions {
  /** storage path for a database migrated for the first time; default 'auto' (timescale when loadable) */
  storage?: StorageChoice
}

/**
 * Brings the database up to the newest migration. Accepts a URL or a pool. On the plain path it
 * then makes sure daily partitions exist from yesterday to PARTITION_DAYS_AHEAD days ahead.
 */
export async function migrate (db: string | pg.Pool, log: Logger, dir: string = MIGRATIONS_DIR, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const own = typeof db === 'string'
  const client: pg.Client | pg.PoolClient = typeof db === 'string' ? new pg.Client({ connectionString: db }) : await db.connect().catch(err => { throw classifyPgError(err) })
  const done = async (): Promise<void> => {
    if (own) { await client.end().catch(() => {}); return }
    // a pooled connection outlives us: give the session lock back before returning it
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {})
    ;(client as pg.PoolClient).release()
  }
  try {
    if (own) await client.connect()
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const storage = await chooseStorage(client, opts.storage ?? 'auto', log)
    const migrations = listMigrations(dir, storage)
    const have = new Map((await client.query<{ version: number, sha256: string }>('SELECT version, sha256 FROM schema_migrations')).rows.map(r => [r.version, r.sha256]))
    const applied: number[] = []
    for (const m of migrations) {
      const sha = have.get(m.version)
      if (sha !== undefined) {
        if (sha !== m.sha256) log.warn({ version: m.version, name: m.name }, 'applied migration file has changed since it ran; add a new migration instead of editing one')
        continue
      }
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query('INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)', [m.version, m.name, m.sha256])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      }
      applied.push(m.version)
      log.info({ version: m.version, name: m.name }, 'migration applied')
    }
    if (storage === 'timescale' && applied.includes(2)) {
      // frames that were stored before the hypertable existed get their rollups now; later ones
      // are materialised by the refresh policies (CALL cannot run inside a transaction)
      await client.query("CALL refresh_continuous_aggregate('frame_rollup_10s', NULL, NULL)")
      await client.query("CALL refresh_continuous_aggregate('frame_rollup_1m', NULL, NULL)")
      await client.query("CALL refresh_continuous_aggregate('frame_rollup_1h', NULL, NULL)")
    }
    if (storage === 'plain' && migrations.some(m => m.version === 2) && (applied.includes(2) || have.has(2))) {
      const today = dayOf(Date.now() * 1000)
      await ensureFramePartitions(client, today - 1, today + PARTITION_DAYS_AHEAD)
    }
    const current = Math.max(0, ...migrations.map(m => m.version), ...have.keys())
    return { applied, current, storage }
  } catch (err) {
    throw classifyPgError(err)
  } finally {
    await done()
  }
}

/** The recorded storage path, or the one chosen now (and recorded) for a first migrate. */
async function chooseStorage (client: pg.ClientBase, choice: StorageChoice, log: Logger): Promise<StoragePath> {
  const recorded = await recordedStoragePath(client)
  if (recorded !== null) {
    if (choice !== 'auto' && choice !== recorded) throw rsError('RS_ERR_CONFIG', `database is on the ${recorded} storage path; it cannot be migrated as ${choice}`)
    return recorded
  }
  let path: StoragePath
  if (choice === 'auto') path = await installTimescale(client) ? 'timescale' : 'plain'
  else if (choice === 'timescale' && !await installTimescale(client)) throw rsError('RS_ERR_CONFIG', 'storage timescale requested but the timescaledb extension cannot be created here')
  else path = choice
  await client.query(STORAGE_TABLE_SQL)
  await client.query('INSERT INTO rs_storage (path) VALUES ($1) ON CONFLICT (id) DO NOTHING', [path])
  log.info({ storage: path }, 'storage path chosen')
  return path
}
