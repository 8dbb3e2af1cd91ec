// {"type":"unsubscribe","tenant":"t","rig":"r"}: stop live push of one rig.
import type { MessageHandler } from './context.js'
import { readRigTarget } from './target.js'

export const unsubscribe: MessageHandler = (ctx, client, msg) => {
  const target = readRigTarget(msg)
  if (typeof target === 'string') return client.sendError('RS_ERR_BAD_REQUEST', target)
  if (!ctx.unsubscribe(client, target.tenant, target.rig)) {
    return client.sendError('RS_ERR_NOT_FOUND', `no subscription to ${target.tenant}/${target.rig}`)
  }
  client.send({ type: 'unsubscribed', tenant: target.tenant, rig: target.rig })
}
