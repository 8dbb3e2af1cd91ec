// The MQTT broker: aedes (MQTT 3.1.1) with per-device authentication and topic authorization,
// over TCP and WebSocket.
import { Aedes, type Client } from 'aedes'
import type { Duplex } from 'node:stream'
import type { EventEmitter } from 'node:events'
import type { IncomingMessage } from 'node:http'
import type { Server as TcpServer } from 'node:net'
import type { Logger } from '../../common/src/logger.js'
import type { CredentialStore } from './credentials.js'
import { BrokerContext } from './context.js'
import { guardConnection } from './frame-guard.js'
import { makePreConnect, makeAuthenticate } from './handlers/connect.js'
import { makeAuthorizePublish } from './handlers/publish.js'
import { makeAuthorizeSubscribe } from './handlers/subscribe.js'
import { makeAuthorizeForward } from './handlers/forward.js'
import { listenTcp, listenWs, WS_PATH, type WsListener } from './transports.js'
import { rsError } from '../../common/src/errors.js'

export interface BrokerOptions {
  /** default 127.0.0.1 */
  host?: string
  /** 0 = a free port; default 0 */
  port?: number
  /** MQTT over WebSocket on its own port, path /mqtt; 0 = free; null = off. Default null. */
  wsPort?: number | null
  credentials: CredentialStore
  /** the process's root logger; the broker logs under child({ component: 'broker' }) */
  log: Logger
  /** largest PUBLISH payload accepted; default 16 MiB, so ingest (whose own limit is lower) can dead-letter oversized payloads with a reason */
  maxPayloadBytes?: number
}

export interface BrokerStats { clients: number, refusedConnects: number, refusedPublishes: number, refusedSubscribes: number }

export interface Broker {
  aedes: Aedes
  port: number
  wsPort: number | null
  url: string
  wsUrl: string | null
  stats (): BrokerStats
  close (): Promise<void>
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
// A PUBLISH is its payload plus a 2-byte topic length, the topic (at most 65535 bytes) and a 2-byte packet id.
const PUBLISH_OVERHEAD = 2 + 65535 + 2

// aedes settings, defaults in parentheses:
// - connectTimeout 10 s (30 s): a socket that has not sent CONNECT by then is dropped.
// - keepaliveLimit stays 0 (no limit): aedes refuses a too-long keepalive with return code 6,
//   which MQTT 3.1.1 does not define; clients choose their keepalive (mqtt.js: 60 s) and aedes
//   drops a silent one after 1.5 x keepalive [MQTT-3.1.2-24].
// - drainTimeout 30 s (60 s): a subscriber that stops reading is dropped instead of stalling delivery to others.
// - maxClientsIdLength 128 (23, the MQTT 3.1 limit): ids like "{tenant}/{rig}/agent" are longer.
const AEDES_SETTINGS = { connectTimeout: 10_000, drainTimeout: 30_000, maxClientsIdLength: 128 } as const

export async function startBroker (o: BrokerOptions): Promise<Broker> {
  const host = o.host ?? '127.0.0.1'
  const maxPayloadBytes = o.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES
  if (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes < 1) throw rsError('RS_ERR_CONFIG', `maxPayloadBytes must be a positive integer, got ${maxPayloadBytes}`)
  const log = o.log.child({ component: 'broker' })
  const ctx = new BrokerContext(log, o.credentials, maxPayloadBytes)

  const aedes = await Aedes.createBroker({
    ...AEDES_SETTINGS,
    preConnect: makePreConnect(ctx),
    authenticate: makeAuthenticate(ctx),
    authorizePublish: makeAuthorizePublish(ctx),
    authorizeSubscribe: makeAuthorizeSubscribe(ctx),
    authorizeForward: makeAuthorizeForward(ctx)
  })
  watch(aedes, ctx)

  const frameLimit = maxPayloadBytes + PUBLISH_OVERHEAD
  const open = new Set<Duplex>()
  const accept = (conn: Duplex, req?: IncomingMessage): void => {
    open.add(conn)
    conn.once('close', () => open.delete(conn))
    let client: Client | undefined
    const guarded = guardConnection(conn, frameLimit, err => {
      const session = client ? ctx.sessions.get(client) : undefined
      // before login the only packet is CONNECT (FrameGuard's tighter first-packet bound)
      ctx.refuse(session ? 'publish' : 'connect', { clientId: client?.id ?? null, username: session?.username ?? null, topic: null, reason: err.message, answer: 'disconnect' })
    })
    client = aedes.handle(guarded, req)
  }

  let tcp: TcpServer | undefined
  let ws: WsListener | undefined
  try {
    const t = await listenTcp(host, o.port ?? 0, accept)
    tcp = t.server
    if (o.wsPort !== undefined && o.wsPort !== null) ws = await listenWs(host, o.wsPort, frameLimit, accept)
  } catch (err) {
    tcp?.close()
    await new Promise<void>(resolve => aedes.close(() => resolve()))
    throw err
  }

  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  const port = (tcp.address() as { port: number }).port
  const url = `mqtt://${shown}:${port}`
  const wsUrl = ws ? `ws://${shown}:${ws.port}${WS_PATH}` : null
  log.info({ event: 'broker.listening', url, wsUrl, maxPayloadBytes }, 'MQTT broker listening')

  let closing: Promise<void> | undefined
  const tcpServer = tcp
  return {
    aedes,
    port,
    wsPort: ws?.port ?? null,
    url,
    wsUrl,
    stats: () => ({ clients: aedes.connectedClients, refusedConnects: ctx.counts.refusedConnects, refusedPublishes: ctx.counts.refusedPublishes, refusedSubscribes: ctx.counts.refusedSubscribes }),
    close: () => {
      closing ??= (async () => {
        const stopped = [closeServer(tcpServer)]
        if (ws) { ws.wss.close(); stopped.push(closeServer(ws.http)) }
        await new Promise<void>(resolve => aedes.close(() => resolve()))
        // sockets that never completed CONNECT are not aedes clients yet: end them too
        for (const conn of open) conn.destroy()
        ws?.http.closeAllConnections()
        await Promise.all(stopped)
        log.info({ event: 'broker.closed' }, 'MQTT broker closed')
      })()
      return closing
    }
  }
}

function closeServer (s: { close (cb: (err?: Error) => void): unknown }): Promise<void> {
  return new Promise(resolve => { s.close(() => resolve()) })
}

// Connection lifecycle at debug, with the session's child logger (clientId, username).
function watch (aedes: Aedes, ctx: BrokerContext): void {
  aedes.on('clientReady', client => {
    ctx.sessions.get(client)?.log.debug({ event: 'mqtt.connected', clean: client.clean }, 'client connected')
  })
  aedes.on('clientDisconnect', client => {
    ctx.sessions.get(client)?.log.debug({ event: 'mqtt.disconnected' }, 'client disconnected')
  })
  aedes.on('clientError', (client, err) => {
    const session = ctx.sessions.get(client)
    if (session) session.log.debug({ event: 'mqtt.client_error', err: err.message }, 'client connection closed on error')
    else ctx.log.debug({ event: 'mqtt.client_error', clientId: client.id, err: err.message }, 'client connection closed on error')
  })
  aedes.on('connectionError', (_client, err) => {
    ctx.log.debug({ event: 'mqtt.connection_error', err: err.message }, 'connection closed before CONNECT completed')
  })
  // aedes emits 'error' for persistence failures; without a listener Node would crash the process
  const emitter: EventEmitter = aedes
  emitter.on('error', (err: Error) => { ctx.log.error({ err }, 'aedes error') })
}
