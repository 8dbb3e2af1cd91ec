import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedPg } from '../../common/src/embedded-postgres.js'

let started: Promise<EmbeddedPg> | undefined

/**
 * Admin URL of the PostgreSQL server tests use. The runner (tests/run.js) starts one embedded
 * server for the whole run and passes RS_TEST_PG_ADMIN_URL; a test file run alone starts its own.
 */
export async function pgAdminUrl (): Promise<string> {
  if (process.env.RS_TEST_PG_ADMIN_URL) return process.env.RS_TEST_PG_ADMIN_URL
  started ??= startEmbeddedPostgres({ dir: join(tmpdir(), `rs-test-pg-${process.pid}`), persistent: false })
  const s = await started
  process.once('exit', () => { void s.stop() })
  return s.adminUrl
}

/** A fresh, empty database of its own for one test; returns its URL. */
export async function freshDatabase (prefix = 't'): Promise<string> {
  const admin = await pgAdminUrl()
  const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase()
  const c = new pg.Client(admin)
  await c.connect()
  try { await c.query(`CREATE DATABASE ${name}`) } finally { await c.end() }
  const u = new URL(admin)
  u.pathname = '/' + name
  return u.toString()
}

/** Stops the server this process started, if any. */
export async function stopPg (): Promise<void> {
  if (started) { const s = await started; started = undefined; await s.stop() }
}
