// SUBSCRIBE: each filter on its own; a refused one gets 0x80 in the SUBACK, the others stand.
import type { Client, Subscription } from 'aedes'
import { subscribeRefusal } from '../authorize.js'
import type { BrokerContext } from '../context.js'

export function makeAuthorizeSubscribe (ctx: BrokerContext) {
  return function authorizeSubscribe (client: Client, sub: Subscription, callback: (error: Error | null, subscription?: Subscription | null) => void): void {
    const session = ctx.sessions.get(client)
    const reason = session ? subscribeRefusal(session.principal, sub.topic) : 'no authenticated session'
    if (reason === null) return callback(null, sub)
    ctx.refuse('subscribe', { clientId: client.id, username: session?.username ?? null, topic: sub.topic, reason, answer: 0x80 })
    // [MQTT-3.9.3] return code 0x80 (failure) for this filter: aedes sends it for a null
    // subscription and keeps the connection; an error here would close it instead.
    // aedes also runs this hook for subscriptions restored from a persistent session.
    callback(null, null)
  }
}
