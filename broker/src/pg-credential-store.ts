// Credential store in PostgreSQL: one row per username, the secret as an scrypt hash only.
import type pg from 'pg'
import type { CredentialStore } from './credentials.js'
import { assertPuttable } from './store-input.js'
import { type Principal, freezePrincipal } from './principal.js'
import { hashSecret, verifySecret, verifyAgainstDummy } from './secret-hash.js'
import { VerifyCache, type VerifyCacheOptions } from './verify-cache.js'
import { rsError } from '../../common/src/errors.js'

interface Row { kind: string, tenant: string | null, rig: string | null, name: string | null, secret_hash: string }

export class PgCredentialStore implements CredentialStore {
  /** Idempotent; never drops data. */
  static readonly migrateSql = `
CREATE TABLE IF NOT EXISTS mqtt_credentials (
  username    text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('device', 'service')),
  tenant      text,
  rig         text,
  name        text,
  secret_hash text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'device' AND tenant IS NOT NULL AND rig IS NOT NULL AND name IS NULL)
      OR (kind = 'service' AND name IS NOT NULL AND tenant IS NULL AND rig IS NULL))
)`

  readonly #pool: pg.Pool
  readonly #cache: VerifyCache

  constructor (pool: pg.Pool, opts: { cache?: VerifyCacheOptions } = {}) {
    this.#pool = pool
    this.#cache = new VerifyCache(opts.cache)
  }

  /** Runs migrateSql. */
  async migrate (): Promise<void> {
    await this.#query(PgCredentialStore.migrateSql, [])
  }

  verify (username: string, password: Buffer | string): Promise<Principal | null> {
    if (password.length === 0) return Promise.resolve(null)
    return this.#cache.verify(username, password, async () => {
      const { rows } = await this.#query<Row>('SELECT kind, tenant, rig, name, secret_hash FROM mqtt_credentials WHERE username = $1', [username])
      const row = rows[0]
      if (!row) return verifyAgainstDummy(password).then(() => null)
      if (!(await verifySecret(password, row.secret_hash))) return null
      return toPrincipal(row)
    })
  }

  async put (username: string, principal: Principal, password: string): Promise<void> {
    assertPuttable(username, principal, password)
    const hash = await hashSecret(password)
    const d = principal.kind === 'device' ? principal : null
    const s = principal.kind === 'service' ? principal : null
    await this.#query(
      `INSERT INTO mqtt_credentials (username, kind, tenant, rig, name, secret_hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO UPDATE SET kind = EXCLUDED.kind, tenant = EXCLUDED.tenant, rig = EXCLUDED.rig,
         name = EXCLUDED.name, secret_hash = EXCLUDED.secret_hash, updated_at = now()`,
      [username, principal.kind, d?.tenant ?? null, d?.rig ?? null, s?.name ?? null, hash])
    this.#cache.forget(username)
  }

  async remove (username: string): Promise<void> {
    await this.#query('DELETE FROM mqtt_credentials WHERE username = $1', [username])
    this.#cache.forget(username)
  }

  async #query<R extends pg.QueryResultRow = pg.QueryResultRow> (sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(sql, params)
    } catch (err) {
      throw rsError('RS_ERR_DB_UNAVAILABLE', 'mqtt_credentials: ' + (err as Error).message, err)
    }
  }
}

function toPrincipal (row: Row): Principal | null {
  if (row.kind === 'device' && row.tenant && row.rig) return freezePrincipal({ kind: 'device', tenant: row.tenant, rig: row.rig })
  if (row.kind === 'service' && row.name) return freezePrincipal({ kind: 'service', name: row.name })
  return null
}
