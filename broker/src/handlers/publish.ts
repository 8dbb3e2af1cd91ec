// PUBLISH from a client: only to topics its principal may publish to, only up to the size limit.
import type { Client, PublishPacket } from 'aedes'
import { publishRefusal } from '../authorize.js'
import type { BrokerContext } from '../context.js'

export function makeAuthorizePublish (ctx: BrokerContext) {
  return function authorizePublish (client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void {
    // aedes passes null only for a last will left in persistence by a broker that died; wills are
    // checked against the principal at CONNECT (handlers/connect.ts), so it has been judged already.
    if (client === null) return callback(null)
    const session = ctx.sessions.get(client)
    const size = typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : packet.payload.length
    const reason = !session
      ? 'no authenticated session'
      : size > ctx.maxPayloadBytes
        ? `payload of ${size} bytes exceeds the broker limit of ${ctx.maxPayloadBytes}`
        : publishRefusal(session.principal, packet.topic)
    if (reason === null) return callback(null)
    ctx.refuse('publish', { clientId: client.id, username: session?.username ?? null, topic: packet.topic, reason, answer: 'disconnect' })
    // [MQTT-3.3.5-2] MQTT 3.1.1 has no negative PUBACK: a server that does not authorize a PUBLISH
    // must either acknowledge it as usual or close the network connection. aedes closes the
    // connection when this callback gets an error, BEFORE the PUBACK and before the packet reaches
    // retained storage, offline queues or any subscriber (lib/handlers/publish.js runs
    // authorizePublish first, then enqueuePublish). Acknowledging instead would have to let the
    // packet into aedes and filter it out later (authorizeForward), which still stores retained
    // messages and queues it for offline sessions. So: close, nothing delivered, nothing stored.
    callback(new Error(reason))
  }
}
