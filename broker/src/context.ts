// State shared by the aedes hooks of one broker: who each client is, refusal counters, the log.
import type { Client } from 'aedes'
import type { Logger } from '../../common/src/logger.js'
import type { CredentialStore } from './credentials.js'
import type { Principal } from './principal.js'

export interface Session {
  readonly principal: Principal
  readonly username: string
  /** every topic delivered to this client starts with it (authorize.ts receivePrefix) */
  readonly receivePrefix: string
  /** child({ clientId, username }), made once per connection */
  readonly log: Logger
}

export type RefusedAction = 'connect' | 'publish' | 'subscribe' | 'forward'

export interface Refusal {
  clientId: string | null
  username: string | null
  topic: string | null
  reason: string
  /** the MQTT answer: CONNACK return code, SUBACK 0x80, or 'disconnect' */
  answer: number | 'disconnect' | 'not delivered'
}

export class BrokerContext {
  readonly sessions = new WeakMap<Client, Session>()
  /** CONNECT will topic, noted by preConnect and checked by authenticate */
  readonly willTopics = new WeakMap<Client, string | null>()
  /** client id -> the authenticated client holding it */
  readonly holders = new Map<string, Client>()
  /** client id -> the account whose session it names: while connected, and after that for as
   * long as a persistent session (clean: false) keeps its subscriptions and queued messages */
  readonly owners = new Map<string, string>()
  readonly counts = { refusedConnects: 0, refusedPublishes: 0, refusedSubscribes: 0, refusedForwards: 0 }

  constructor (readonly log: Logger, readonly credentials: CredentialStore, readonly maxPayloadBytes: number) {}

  /** Logs (structured, never a secret) and counts one refusal. */
  refuse (action: RefusedAction, r: Refusal): void {
    if (action === 'connect') this.counts.refusedConnects++
    else if (action === 'publish') this.counts.refusedPublishes++
    else if (action === 'subscribe') this.counts.refusedSubscribes++
    else this.counts.refusedForwards++
    this.log.warn({ event: 'mqtt.refused', action, clientId: r.clientId, username: r.username, topic: r.topic, reason: r.reason, answer: r.answer }, 'mqtt request refused')
  }
}
