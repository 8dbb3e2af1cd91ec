// Tenants and operator accounts in PostgreSQL (migration 090). Passwords are stored only as
// scrypt hashes (the same encoding as the broker's device secrets).
import type pg from 'pg'
import { rsError } from '../../../common/src/errors.js'
import { classifyPgError, isPgDataError } from '../../../ingest/src/store/pg-errors.js'
import { hashSecret, verifySecret, verifyAgainstDummy } from '../../../broker/src/secret-hash.js'
import type { Role } from './jwt.js'

export interface Tenant { id: string, name: string, createdAt: string }
export interface User {
  username: string
  tenant: string | null
  role: Role
  disabled: boolean
  createdAt: string
  /** moves on whenever role or disabled change: tokens carry it (claim `ver`) and are refused once it moved */
  tokenEpoch: number
}

/** Shortest operator password accepted. */
export const MIN_USER_PASSWORD = 12

function dbError (err: unknown, what: string): Error {
  const code = (err as { code?: string }).code
  if (code === '23505') return rsError('RS_ERR_CONFLICT', `${what} already exists`)
  if (code === '23503') return rsError('RS_ERR_NOT_FOUND', `tenant of ${what}`)
  if (code === '23514') return rsError('RS_ERR_BAD_REQUEST', `${what} breaks a constraint`)
  if (isPgDataError(err)) return rsError('RS_ERR_BAD_REQUEST', `${what}: a value cannot be stored (${(err as Error).message})`)
  // only a database that is down is "unavailable" (retriable); anything else is a bug, answered 500
  const c = classifyPgError(err)
  return c instanceof Error ? c : rsError('RS_ERR_INTERNAL', String(err), err)
}

interface UserRow { username: string, tenant: string | null, role: Role, disabled: boolean, created_at: Date, password_hash: string, token_epoch: number }
const toUser = (r: UserRow): User => ({ username: r.username, tenant: r.tenant, role: r.role, disabled: r.disabled, createdAt: r.created_at.toISOString(), tokenEpoch: r.token_epoch })

export class AuthStore {
  constructor (readonly pool: pg.Pool) {}

  async createTenant (id: string, name: string, client: Pick<pg.Pool, 'query'> = this.pool): Promise<Tenant> {
    try {
      const r = await client.query<{ id: string, name: string, created_at: Date }>('INSERT INTO tenants (id, name) VALUES ($1, $2) RETURNING id, name, created_at', [id, name])
      return { id: r.rows[0].id, name: r.rows[0].name, createdAt: r.rows[0].created_at.toISOString() }
    } catch (err) { throw dbError(err, `tenant ${id}`) }
  }

  async listTenants (only?: readonly string[]): Promise<Tenant[]> {
    const r = await this.pool.query<{ id: string, name: string, created_at: Date }>(
      'SELECT id, name, created_at FROM tenants WHERE $1::text[] IS NULL OR id = ANY($1) ORDER BY id', [only ?? null])
    return r.rows.map(t => ({ id: t.id, name: t.name, createdAt: t.created_at.toISOString() }))
  }

  async tenantExists (id: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM tenants WHERE id = $1', [id])).rowCount === 1
  }

  async createUser (u: { username: string, tenant: string | null, role: Role, password: string }, client: Pick<pg.Pool, 'query'> = this.pool): Promise<User> {
    if (u.password.length < MIN_USER_PASSWORD) throw rsError('RS_ERR_BAD_REQUEST', `password must be at least ${MIN_USER_PASSWORD} characters`)
    const hash = await hashSecret(u.password)
    try {
      const r = await client.query<UserRow>(
        'INSERT INTO users (username, tenant, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING username, tenant, role, disabled, created_at, password_hash, token_epoch',
        [u.username, u.tenant, u.role, hash])
      return toUser(r.rows[0])
    } catch (err) { throw dbError(err, `user ${u.username}`) }
  }

  async getUser (username: string): Promise<User | null> {
    const r = await this.pool.query<UserRow>('SELECT username, tenant, role, disabled, created_at, password_hash, token_epoch FROM users WHERE username = $1', [username])
    return r.rows[0] ? toUser(r.rows[0]) : null
  }

  async listUsers (tenant: string): Promise<User[]> {
    const r = await this.pool.query<UserRow>('SELECT username, tenant, role, disabled, created_at, password_hash, token_epoch FROM users WHERE tenant = $1 ORDER BY username', [tenant])
    return r.rows.map(toUser)
  }

  /** Changes role and/or disabled; returns the user, or null when there is no such user in `tenant`. */
  async updateUser (tenant: string, username: string, patch: { role?: Role, disabled?: boolean }, client: Pick<pg.Pool, 'query'> = this.pool): Promise<User | null> {
    const r = await client.query<UserRow>(
      // the epoch moves on only when something changes (the right-hand sides read the old row);
      // it wraps within int4
      `UPDATE users SET role = coalesce($3, role), disabled = coalesce($4, disabled),
          token_epoch = CASE WHEN coalesce($3, role) IS DISTINCT FROM role OR coalesce($4, disabled) IS DISTINCT FROM disabled
            THEN (token_epoch::bigint + 1) % 2147483647 ELSE token_epoch END
        WHERE username = $1 AND tenant = $2 RETURNING username, tenant, role, disabled, created_at, password_hash, token_epoch`,
      [username, tenant, patch.role ?? null, patch.disabled ?? null])
    return r.rows[0] ? toUser(r.rows[0]) : null
  }

  /**
   * The user when the password is right and the account is enabled, else null. An unknown username
   * costs the same scrypt work as a wrong password, so timing does not tell which it was.
   */
  async verifyLogin (username: string, password: string): Promise<User | null> {
    const r = await this.pool.query<UserRow>('SELECT username, tenant, role, disabled, created_at, password_hash, token_epoch FROM users WHERE username = $1', [username])
    const row = r.rows[0]
    if (!row) { await verifyAgainstDummy(password); return null }
    if (!(await verifySecret(password, row.password_hash))) return null
    return row.disabled ? null : toUser(row)
  }
}
