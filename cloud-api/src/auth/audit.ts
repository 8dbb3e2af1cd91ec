/**
 * The audit log of administrative actions: append-only (a trigger refuses UPDATE and DELETE,
 * migration 090) and hash-chained. Row n stores
 *   hash_n = sha256(hash_{n-1} + "\n" + canonicalJson({ id, at, actor, tenant, action, target, detail }))
 * with hash_0 = 64 zeros, so changing, removing or reordering any row breaks the chain at that row.
 * verifyAuditChain() recomputes it; `rigstream audit verify` runs it against DATABASE_URL.
 */
import { createHash } from 'node:crypto'
import type pg from 'pg'
import { rsError } from '../../../common/src/errors.js'

export const GENESIS_HASH = '0'.repeat(64)
// one writer at a time: appends read the last hash and insert under this transaction lock
const APPEND_LOCK = 7_305_114_090

export interface AuditEntry {
  actor: string
  /** tenant the action concerns; null for platform actions */
  tenant: string | null
  /** e.g. tenant.create, user.create, device.provision */
  action: string
  target: string
  /** never a secret: callers pass ids and roles, not passwords */
  detail?: Record<string, unknown>
}

export interface AuditRow extends Required<AuditEntry> { id: number, at: Date, prevHash: string, hash: string }

/** JSON with object keys sorted at every level, so jsonb's key reordering does not change the hash. */
export function canonicalJson (v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']'
  const o = v as Record<string, unknown>
  return '{' + Object.keys(o).filter(k => o[k] !== undefined).sort().map(k => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}'
}

export function auditHash (prevHash: string, r: { id: number, at: Date, actor: string, tenant: string | null, action: string, target: string, detail: Record<string, unknown> }): string {
  const body = canonicalJson({ id: r.id, at: r.at.toISOString(), actor: r.actor, tenant: r.tenant, action: r.action, target: r.target, detail: r.detail })
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex')
}

type Queryable = Pick<pg.Pool, 'connect'>

/** Appends one entry (in its own transaction, or in `client`'s when given) and returns the stored row. */
export async function appendAudit (db: Queryable | pg.PoolClient, e: AuditEntry): Promise<AuditRow> {
  const pooled = 'release' in db ? null : await (db as Queryable).connect()
  const client = pooled ?? db as pg.PoolClient
  try {
    if (pooled) await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK])
    const last = (await client.query<{ id: string, hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')).rows[0]
    const id = last ? Number(last.id) + 1 : 1
    const prevHash = last?.hash ?? GENESIS_HASH
    // millisecond precision: what JavaScript's Date reads back, so the hash recomputes exactly
    const at = new Date(Date.now())
    const row = { id, at, actor: e.actor, tenant: e.tenant, action: e.action, target: e.target, detail: e.detail ?? {} }
    const hash = auditHash(prevHash, row)
    await client.query('INSERT INTO audit_log (id, at, actor, tenant, action, target, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [id, at, row.actor, row.tenant, row.action, row.target, JSON.stringify(row.detail), prevHash, hash])
    if (pooled) await client.query('COMMIT')
    return { ...row, prevHash, hash }
  } catch (err) {
    if (pooled) await client.query('ROLLBACK').catch(() => {})
    throw rsError('RS_ERR_DB_UNAVAILABLE', 'audit_log: ' + (err as Error).message, err)
  } finally {
    pooled?.release()
  }
}

interface DbRow { id: string, at: Date, actor: string, tenant: string | null, action: string, target: string, detail: Record<string, unknown>, prev_hash: string, hash: string }

function toRow (r: DbRow): AuditRow {
  return { id: Number(r.id), at: r.at, actor: r.actor, tenant: r.tenant, action: r.action, target: r.target, detail: r.detail, prevHash: r.prev_hash, hash: r.hash }
}

export async function listAudit (db: Pick<pg.Pool, 'query'>, q: { tenant?: string | null, limit: number, beforeId?: number }): Promise<AuditRow[]> {
  const r = await db.query<DbRow>(
    `SELECT id, at, actor, tenant, action, target, detail, prev_hash, hash FROM audit_log
      WHERE ($1::text IS NULL OR tenant = $1) AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [q.tenant ?? null, q.beforeId ?? null, q.limit])
  return r.rows.map(toRow)
}

export interface AuditVerifyResult {
  ok: boolean
  rows: number
  /** hash of the newest row (the head to keep elsewhere: a chain cut at its end verifies otherwise) */
  head: string
  /** the first row that does not verify, and why */
  brokenAt?: number
  reason?: string
}

/** Walks the whole chain in id order, a page at a time, recomputing every hash. */
export async function verifyAuditChain (db: Pick<pg.Pool, 'query'>, pageSize = 1000): Promise<AuditVerifyResult> {
  let prevHash = GENESIS_HASH
  let expectId = 1
  let rows = 0
  for (;;) {
    const page = (await db.query<DbRow>(
      'SELECT id, at, actor, tenant, action, target, detail, prev_hash, hash FROM audit_log WHERE id >= $1 ORDER BY id LIMIT $2', [expectId, pageSize])).rows
    for (const dbRow of page) {
      const r = toRow(dbRow)
      if (r.id !== expectId) return { ok: false, rows, head: prevHash, brokenAt: expectId, reason: `row ${expectId} is missing (next is ${r.id})` }
      if (r.prevHash !== prevHash) return { ok: false, rows, head: prevHash, brokenAt: r.id, reason: `row ${r.id} does not link to the hash of row ${r.id - 1}` }
      const want = auditHash(prevHash, r)
      if (want !== r.hash) return { ok: false, rows, head: prevHash, brokenAt: r.id, reason: `row ${r.id} content does not match its hash` }
      prevHash = r.hash
      expectId++
      rows++
    }
    if (page.length < pageSize) break
  }
  // a row with an id below 1 would sit outside the walk
  const stray = (await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log WHERE id < 1')).rows[0]
  if (Number(stray.n) > 0) return { ok: false, rows, head: prevHash, brokenAt: 0, reason: `${stray.n} row(s) with id < 1` }
  return { ok: true, rows, head: prevHash }
}
