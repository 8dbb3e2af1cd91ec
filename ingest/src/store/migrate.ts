// Versioned migrations: ingest/src/store/migrations/NNN_name.sql, applied in order, each in its
// own transaction, recorded in schema_migrations. A session advisory lock lets several ingest
// instances (or `rigstream migrate`) start at once. Migrations only add; none drops data.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { repoPath } from '../../../common/src/paths.js'
import type { Logger } from '../../../common/src/logger.js'
import { rsError } from '../../../common/src/errors.js'
import { classifyPgError } from './pg-errors.js'

export const MIGRATIONS_DIR = repoPath('ingest', 'src', 'store', 'migrations')
const LOCK_KEY = 7_305_114_001 // arbitrary, fixed: "rigstream migrate"

export interface Migration { version: number, name: string, sql: string, sha256: string }

export function listMigrations (dir: string = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = []
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{3,})_([a-z0-9_]+)\.sql$/.exec(file)
    if (!m) continue
    const sql = readFileSync(`${dir}/${file}`, 'utf8')
    out.push({ version: Number(m[1]), name: m[2], sql, sha256: createHash('sha256').update(sql).digest('hex') })
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i].version === out[i - 1].version) throw rsError('RS_ERR_CONFIG', `two migrations share version ${out[i].version}`)
  }
  return out
}

export interface MigrateResult { applied: number[], current: number }

/** Brings the database up to the newest migration. Accepts a URL or a pool. */
export async function migrate (db: string | pg.Pool, log: Logger, dir: string = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = listMigrations(dir)
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
    const current = Math.max(0, ...migrations.map(m => m.version), ...have.keys())
    return { applied, current }
  } catch (err) {
    throw classifyPgError(err)
  } finally {
    await done()
  }
}
