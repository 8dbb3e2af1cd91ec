import type { LiveClient, Subscription } from '../client.js'
import type { SubscribeAuthorizer } from '../authorize.js'

/** What a message handler may do to the hub. */
export interface HandlerContext {
  readonly authorize: SubscribeAuthorizer
  readonly maxSubscriptionsPerClient: number
  /** adds or replaces the client's subscription to sub.tenant/sub.rig */
  subscribe (client: LiveClient, sub: Subscription): void
  /** false when the client had no such subscription */
  unsubscribe (client: LiveClient, tenant: string, rig: string): boolean
  /** sends the rig's last known state and prediction, so a new subscriber does not wait for the next change */
  sendLatest (client: LiveClient, tenant: string, rig: string): void
}

/** A handler for one client message type. `msg` is parsed JSON whose `type` selected this handler. */
export type MessageHandler = (ctx: HandlerContext, client: LiveClient, msg: Record<string, unknown>) => Promise<void> | void
