// A PostgreSQL server of a test's own (embedded binaries) that can be stopped and started again on
// the same port and data directory: for fault tests where the database goes away mid-stream.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres, type EmbeddedPg } from '../../common/src/embedded-postgres.js'

export interface RestartablePg {
  readonly port: number
  readonly adminUrl: string
  urlFor (database: string): string
  createDatabase (name: string): Promise<string>
  readonly running: boolean
  /** stops the server (fast shutdown: open connections are cut, the data stays) */
  stop (): Promise<void>
  /** starts it again on the same port and data directory */
  start (): Promise<void>
  /** stops it and removes its data directory */
  destroy (): Promise<void>
}

export async function restartablePg (): Promise<RestartablePg> {
  const base = mkdtempSync(join(tmpdir(), 'rs-pg-restart-'))
  const dir = join(base, 'data')
  let server: EmbeddedPg | null = await startEmbeddedPostgres({ dir, persistent: true })
  const port = server.port
  const first = server
  const self: RestartablePg = {
    port,
    adminUrl: first.adminUrl,
    urlFor: db => first.urlFor(db),
    createDatabase: async name => {
      if (!server) throw new Error('PostgreSQL is stopped')
      return await server.createDatabase(name)
    },
    get running () { return server !== null },
    async stop () {
      const s = server
      server = null
      if (s) await s.stop()
    },
    async start () {
      if (server) return
      const s = await startEmbeddedPostgres({ dir, port, persistent: true })
      if (s.port !== port) { await s.stop(); throw new Error(`PostgreSQL came back on port ${s.port}, not ${port} (the port was taken meanwhile)`) }
      server = s
    },
    async destroy () {
      await self.stop()
      rmSync(base, { recursive: true, force: true })
    }
  }
  return self
}
