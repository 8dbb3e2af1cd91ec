import { createServer } from 'node:net'

/** True when nothing listens on host:port (we could bind it). */
export function isPortFree (port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise(resolve => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)))
  })
}

/** A port the OS says is free right now. */
export function freePort (host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** The preferred port when free, else a free one; `taken` says which happened. */
export async function preferPort (preferred: number, host = '127.0.0.1'): Promise<{ port: number, taken: boolean }> {
  if (preferred > 0 && await isPortFree(preferred, host)) return { port: preferred, taken: false }
  return { port: await freePort(host), taken: preferred > 0 }
}
