// Listeners that hand connections to aedes: MQTT over TCP, and MQTT over WebSocket (path /mqtt).
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net'
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, createWebSocketStream } from 'ws'
import { rsError } from '../../common/src/errors.js'

export type Accept = (conn: Duplex, req?: IncomingMessage) => void

export const WS_PATH = '/mqtt'

export async function listenTcp (host: string, port: number, accept: Accept): Promise<{ server: TcpServer, port: number }> {
  const server = createTcpServer(socket => {
    socket.setNoDelay(true)
    accept(socket)
  })
  await listen(server, host, port, 'MQTT')
  return { server, port: (server.address() as AddressInfo).port }
}

export interface WsListener { http: HttpServer, wss: WebSocketServer, port: number }

/** `maxPayload`: the largest WebSocket message accepted (one MQTT packet fits in one message). */
export async function listenWs (host: string, port: number, maxPayload: number, accept: Accept): Promise<WsListener> {
  const http = createHttpServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' })
    res.end(`MQTT over WebSocket: connect to ${WS_PATH} with subprotocol mqtt\n`)
  })
  const wss = new WebSocketServer({
    server: http,
    path: WS_PATH,
    maxPayload,
    // MQTT over WebSocket names its subprotocol "mqtt" (MQTT 3.1.1 section 6); "mqttv3.1" is the older name
    handleProtocols: protocols => protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false
  })
  wss.on('connection', (ws, req) => { accept(createWebSocketStream(ws), req) })
  await listen(http, host, port, 'MQTT over WebSocket')
  return { http, wss, port: (http.address() as AddressInfo).port }
}

function listen (server: TcpServer | HttpServer, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(rsError('RS_ERR_CONFIG', `${what} cannot listen on ${host}:${port} (${err.code ?? err.message})`, err))
    }
    server.once('error', onError)
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError)
      resolve()
    })
  })
}
