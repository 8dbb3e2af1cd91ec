// CONNECT: who is this? Username/password against the credential store, will topic, client id.
import type { Client, ConnectPacket, AuthenticateError } from 'aedes'
import { rigTopic } from '../../../schemas/src/topics.js'
import { publishRefusal, receivePrefix } from '../authorize.js'
import type { BrokerContext } from '../context.js'
import type { Principal } from '../principal.js'

// CONNACK return codes, MQTT 3.1.1 table 3.1
const IDENTIFIER_REJECTED = 2
const SERVER_UNAVAILABLE = 3
const BAD_USERNAME_OR_PASSWORD = 4
const NOT_AUTHORIZED = 5

type Done = (error: AuthenticateError | null, success: boolean | null) => void

/** Notes the will topic; authenticate judges it once it knows the principal. */
export function makePreConnect (ctx: BrokerContext) {
  return function preConnect (client: Client, packet: ConnectPacket, callback: (error: Error | null, success: boolean) => void): void {
    ctx.willTopics.set(client, packet.will?.topic ?? null)
    callback(null, true)
  }
}

export function makeAuthenticate (ctx: BrokerContext) {
  return function authenticate (client: Client, username: Readonly<string | undefined>, password: Readonly<Buffer | undefined>, done: Done): void {
    check(ctx, client, username, password).then(
      code => { done(code === 0 ? null : refusal(code), code === 0) },
      (err: unknown) => {
        ctx.log.error({ err, clientId: client.id }, 'credential store failed')
        refuse(ctx, client, username, 'credential store unavailable', SERVER_UNAVAILABLE)
        done(refusal(SERVER_UNAVAILABLE), null)
      })
  }
}

async function check (ctx: BrokerContext, client: Client, username: string | undefined, password: Buffer | undefined): Promise<number> {
  if (!username || !password || password.length === 0) {
    return refuse(ctx, client, username, 'missing username or password', BAD_USERNAME_OR_PASSWORD)
  }
  const principal = await ctx.credentials.verify(username, password)
  if (!principal) return refuse(ctx, client, username, 'bad username or password', BAD_USERNAME_OR_PASSWORD)

  const willTopic = ctx.willTopics.get(client) ?? null
  ctx.willTopics.delete(client)
  const willProblem = willTopic === null ? null : willRefusal(principal, willTopic)
  if (willProblem) return refuse(ctx, client, username, willProblem, NOT_AUTHORIZED, willTopic)

  // [MQTT-3.1.4-2] a CONNECT with a client id in use takes the old connection over, and one with
  // the id of a persistent session resumes it (clean: false) or wipes it (clean: true). Allowed
  // for the same account (a device reconnecting); refused across accounts, whether the id is held
  // now or names a session whose owner is away: else any device could knock the ingest service off
  // by borrowing its client id, or take over or wipe its queued frames while it restarts.
  const holder = ctx.holders.get(client.id)
  if (holder && holder !== client && !holder.closed && ctx.sessions.get(holder)?.username !== username) {
    return refuse(ctx, client, username, 'client id is in use by another account', IDENTIFIER_REJECTED)
  }
  const owner = ctx.owners.get(client.id)
  if (owner !== undefined && owner !== username) {
    return refuse(ctx, client, username, 'client id names another account\'s session', IDENTIFIER_REJECTED)
  }

  if (client.closed) return 0 // went away while we verified; aedes stops here by itself
  const id = client.id
  ctx.holders.set(id, client)
  ctx.owners.set(id, username)
  const clean = client.clean !== false
  client.conn.once('close', () => {
    if (ctx.holders.get(id) === client) {
      ctx.holders.delete(id)
      // a clean session ends with its connection; a persistent one stays its account's
      if (clean && ctx.owners.get(id) === username) ctx.owners.delete(id)
    }
  })
  ctx.sessions.set(client, {
    principal,
    username,
    receivePrefix: receivePrefix(principal),
    log: ctx.log.child({ clientId: client.id, username })
  })
  return 0
}

// A device's last will must be its own state topic (the retained online/offline flag); a
// service's will follows its publish rights.
function willRefusal (p: Principal, topic: string): string | null {
  if (p.kind === 'device') return topic === rigTopic(p.tenant, p.rig, 'state') ? null : 'device will topic must be its own state topic'
  return publishRefusal(p, topic)
}

function refuse (ctx: BrokerContext, client: Client, username: string | undefined, reason: string, code: number, topic: string | null = null): number {
  ctx.refuse('connect', { clientId: client.id, username: username ?? null, topic, reason, answer: code })
  return code
}

function refusal (code: number): AuthenticateError {
  // the message is what aedes puts in its clientError event; the reason was logged by refuse()
  return Object.assign(new Error('connection refused'), { returnCode: code as AuthenticateError['returnCode'] })
}
