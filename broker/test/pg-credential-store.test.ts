import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { PgCredentialStore, provisionDevice } from '../src/credentials.js'
import { freshDatabase } from '../../tests/support/pg.js'
import { RigstreamError } from '../../common/src/errors.js'
import { credentialStoreContract } from './credential-store.contract.js'

async function fixture (): Promise<{ pool: pg.Pool, store: PgCredentialStore, close (): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: await freshDatabase('broker'), max: 2 })
  const store = new PgCredentialStore(pool)
  await store.migrate()
  return { pool, store, close: async () => { await pool.end() } }
}

credentialStoreContract('PgCredentialStore', fixture)

describe('PgCredentialStore on PostgreSQL', () => {
  let f: Awaited<ReturnType<typeof fixture>>
  before(async () => { f = await fixture() })
  after(async () => { await f.close() })

  it('stores only an scrypt hash, never the password', async () => {
    const { username, password } = await provisionDevice(f.store, 'acme', 'rig-1')
    const { rows } = await f.pool.query('SELECT * FROM mqtt_credentials WHERE username = $1', [username])
    assert.equal(rows.length, 1)
    assert.equal(rows[0].kind, 'device')
    assert.equal(rows[0].tenant, 'acme')
    assert.equal(rows[0].rig, 'rig-1')
    assert.match(rows[0].secret_hash, /^scrypt\$/)
    assert.equal(JSON.stringify(rows[0]).includes(password), false)
  })

  it('migrates idempotently and keeps the rows', async () => {
    const { username, password } = await provisionDevice(f.store, 'acme', 'rig-2')
    await f.store.migrate()
    await f.pool.query(PgCredentialStore.migrateSql)
    assert.notEqual(await new PgCredentialStore(f.pool).verify(username, password), null)
  })

  it('sees a row written by another store on the same database (another process) without a cache', async () => {
    const other = new PgCredentialStore(f.pool, { cache: { ttlMs: 0 } })
    const { username, password } = await provisionDevice(f.store, 'acme', 'rig-3')
    assert.notEqual(await other.verify(username, password), null)
    await f.store.remove(username)
    assert.equal(await other.verify(username, password), null)
  })

  it('says RS_ERR_DB_UNAVAILABLE (retriable) when PostgreSQL cannot be reached', async () => {
    const dead = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 2000 })
    try {
      const store = new PgCredentialStore(dead)
      await assert.rejects(store.verify('acme/rig-1', 'whatever-password-123'), (err: unknown) => err instanceof RigstreamError && err.code === 'RS_ERR_DB_UNAVAILABLE' && err.retriable)
    } finally {
      await dead.end()
    }
  })
})
