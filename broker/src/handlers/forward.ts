// Delivery to a client: a last fence for messages that did not come through its own SUBSCRIBE.
import type { Client, AedesPublishPacket } from 'aedes'
import type { BrokerContext } from '../context.js'

export function makeAuthorizeForward (ctx: BrokerContext) {
  // Runs for every message to every subscriber: one WeakMap lookup and one startsWith.
  return function authorizeForward (client: Client, packet: AedesPublishPacket): AedesPublishPacket | null {
    const session = ctx.sessions.get(client)
    if (session && packet.topic.startsWith(session.receivePrefix)) return packet
    ctx.refuse('forward', { clientId: client.id, username: session?.username ?? null, topic: packet.topic, reason: 'topic outside what this account may receive', answer: 'not delivered' })
    return null
  }
}
