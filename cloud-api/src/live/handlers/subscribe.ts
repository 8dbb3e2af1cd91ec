// {"type":"subscribe","tenant":"t","rig":"r","channels":["PS1","TS1"]}: start (or change) live push of one rig.
import type { MessageHandler } from './context.js'
import { readRigTarget, rigKey } from './target.js'
import { CHANNEL_ID_PATTERN, MAX_CHANNELS_PER_SUBSCRIPTION } from '../protocol.js'

function readChannels (raw: unknown): string[] | null | string {
  if (raw === undefined || raw === null) return null
  if (!Array.isArray(raw)) return 'subscribe: "channels" must be an array of channel ids'
  if (raw.length === 0) return 'subscribe: "channels" must not be empty (omit it for every channel)'
  if (raw.length > MAX_CHANNELS_PER_SUBSCRIPTION) return `subscribe: at most ${MAX_CHANNELS_PER_SUBSCRIPTION} channels per subscription`
  for (const c of raw) {
    if (typeof c !== 'string' || !CHANNEL_ID_PATTERN.test(c)) return `subscribe: channel ${JSON.stringify(c)} is not a channel id (1-32 of A-Z a-z 0-9 _)`
  }
  return [...new Set(raw as string[])].sort()
}

export const subscribe: MessageHandler = async (ctx, client, msg) => {
  const target = readRigTarget(msg)
  if (typeof target === 'string') return client.sendError('RS_ERR_BAD_REQUEST', target)
  const channels = readChannels(msg.channels)
  if (typeof channels === 'string') return client.sendError('RS_ERR_BAD_REQUEST', channels)
  const { tenant, rig } = target
  if (!client.subs.has(rigKey(tenant, rig)) && client.subs.size >= ctx.maxSubscriptionsPerClient) {
    return client.sendError('RS_ERR_LIMIT', `at most ${ctx.maxSubscriptionsPerClient} rigs per connection`)
  }
  // Tenant isolation: the one place a live subscription is granted. The principal was fixed when
  // the socket was opened (see authorize.ts; issue 7 derives it from the JWT).
  if (!await ctx.authorize({ principal: client.principal, tenant, rig, action: 'subscribe' })) {
    return client.sendError('RS_ERR_FORBIDDEN', `subscribe to ${tenant}/${rig}`)
  }
  ctx.subscribe(client, { tenant, rig, channels: channels && new Set(channels), channelsKey: channels ? channels.join(',') : '*' })
  client.send({ type: 'subscribed', tenant, rig, channels })
  ctx.sendLatest(client, tenant, rig)
}
