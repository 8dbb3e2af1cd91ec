// A TCP proxy in front of a broker, for fault tests. cut() makes the broker unreachable the way a
// dead network link does (no RST, no FIN: bytes simply stop arriving, new connections hang), so a
// client must notice on its own (keepalive, connect timeout); cut('reset') drops every connection
// and refuses new ones at once. heal() restores it.
import { connect, createServer, type Socket } from 'node:net'
import { freePort } from '../../common/src/net.js'

export interface Proxy {
  port: number
  url: string
  cut (mode?: 'blackhole' | 'reset'): void
  heal (): void
  close (): Promise<void>
}

export async function startProxy (targetPort: number, scheme = 'mqtt'): Promise<Proxy> {
  let down = false
  let reset = false
  const pairs = new Set<{ a: Socket, b?: Socket }>()
  const server = createServer(client => {
    const pair: { a: Socket, b?: Socket } = { a: client }
    pairs.add(pair)
    const drop = (): void => {
      pairs.delete(pair)
      client.destroy()
      pair.b?.destroy()
    }
    client.on('error', drop)
    client.on('close', drop)
    if (reset) { drop(); return }
    if (down) return // held: accepted, never answered
    const up = connect(targetPort, '127.0.0.1')
    pair.b = up
    // while cut, the broker giving up on the silent client is not passed on: the client stays in the dark
    const upGone = (): void => { if (down && !reset) pair.b = undefined; else drop() }
    up.on('error', upGone)
    up.on('close', upGone)
    // while cut, bytes are swallowed in both directions (a black hole, not a reset)
    client.on('data', d => { if (!down && pair.b) up.write(d) })
    up.on('data', d => { if (!down) client.write(d) })
  })
  const port = await freePort()
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    cut (mode = 'blackhole') {
      down = true
      reset = mode === 'reset'
      if (reset) for (const p of [...pairs]) { p.a.destroy(); p.b?.destroy() }
    },
    heal () {
      // connections that lived through the cut have lost bytes: end them; clients reconnect
      for (const p of [...pairs]) { p.a.destroy(); p.b?.destroy() }
      pairs.clear()
      down = false
      reset = false
    },
    close: () => new Promise<void>(resolve => {
      for (const p of pairs) { p.a.destroy(); p.b?.destroy() }
      server.close(() => resolve())
    })
  }
}
