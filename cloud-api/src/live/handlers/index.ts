// Dispatch of client messages: parse, pick the handler by `type`, answer bad input with an error
// message. Nothing a client sends closes its socket.
import type { RawData } from 'ws'
import type { HandlerContext, MessageHandler } from './context.js'
import type { LiveClient } from '../client.js'
import { subscribe } from './subscribe.js'
import { unsubscribe } from './unsubscribe.js'

const handlers: Readonly<Record<string, MessageHandler>> = Object.freeze({ subscribe, unsubscribe })

export async function dispatch (ctx: HandlerContext, client: LiveClient, data: RawData, isBinary: boolean): Promise<void> {
  if (isBinary) return client.sendError('RS_ERR_WS_MESSAGE', 'binary messages are not accepted; send JSON text')
  let msg: unknown
  try {
    msg = JSON.parse(data.toString())
  } catch {
    return client.sendError('RS_ERR_WS_MESSAGE', 'message is not JSON')
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return client.sendError('RS_ERR_WS_MESSAGE', 'message must be a JSON object')
  const type = (msg as { type?: unknown }).type
  const handler = typeof type === 'string' && Object.hasOwn(handlers, type) ? handlers[type] : undefined
  if (!handler) return client.sendError('RS_ERR_WS_MESSAGE', `unknown message type ${JSON.stringify(type)}; expected one of ${Object.keys(handlers).join(', ')}`)
  try {
    await handler(ctx, client, msg as Record<string, unknown>)
  } catch (err) {
    client.log.error({ err, type }, 'WebSocket handler failed')
    client.sendError('RS_ERR_INTERNAL', `${type} failed on the server`)
  }
}
