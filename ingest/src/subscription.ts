// The MQTT side of ingest: a persistent-session service client subscribed at QoS 1 to every
// rig's frames, with PUBACK sent by us only when the frame is durable.
//
// How MQTT.js 5 (checked on 5.16.0, node_modules/mqtt/build/lib/) handles an incoming PUBLISH:
// - client.js:326-366 (`connect()`): the parser pushes packets into an array; `work()` hands ONE
//   packet to the handlers and the next one is taken only when that handler calls its `done`
//   (`nextTickWork`). The stream's `_write` callback (`completeParse`) is called only when the
//   array is empty, so while a packet is being handled nothing else is read from the socket:
//   processing is strictly serial, and a pending handler is TCP backpressure.
// - handlers/publish.js:96-117 (QoS 1): `customHandleAcks` → emit 'message' → `handleMessage(packet,
//   cb)`; in cb, `if (err) return done(err)`, else `_sendPacket({cmd: 'puback'}, done)`. So the
//   PUBACK is sent when handleMessage's callback is called without an error, and the next packet
//   is processed only after that.
// - client.js:260 `handleMessage` defaults to `callback()`; README "handleMessage": "Handle
//   messages with backpressure support, one at a time ... always call callback".
// Consequence: deferring handleMessage's callback until a batch commits would allow ONE frame
// per transaction (and would stall PINGRESP handling too). Instead, handleMessage returns at once
// with an error for QoS 1, which makes publish.js:113 skip the automatic PUBACK (`done(err)` is
// `nextTickWork`, which ignores its argument, client.js:350) and lets the next packet in; the
// PUBACK is sent later by `ack()` through the client's own `_sendPacket` (client.js:1113, writes
// via `_writePacket`), once the batch holding the frame is durable. The callback IS deferred when
// the batch buffer is full: that stops reading the socket, so memory stays bounded (and brokers
// with an in-flight window stop sending once it is full of unacknowledged frames).
// PUBACKs go out in the order the PUBLISHes arrived [MQTT-4.6.0-2]: batches flush one at a time,
// in arrival order. A PUBACK is only sent on the connection the PUBLISH came on: after a
// reconnect the broker resends the unacknowledged frames of the persistent session
// [MQTT-4.4.0-1] and dedup drops the copies.
// Keepalive (issue 5): MQTT.js resets its keepalive clock only when it HANDLES a PINGRESP (or an
// ack of something it published, which ingest never does; handlers/index.js). A PINGRESP is
// handled after every PUBLISH the broker wrote before it, so (1) under overload, with a backlog
// queued in the socket (Mosquitto writes far more than its in-flight limit), it comes too late,
// and (2) during a stall (database or Kafka down) it is not handled at all. Both ended in
// 'Keepalive timeout' 45 s later, a reconnect, and the broker resending its in-flight window
// (found by bench/overload.ts and tests/faults/ingest-pg-restart.test.ts). So: (1) every handled
// packet proves the broker alive and restarts the clock (at most once a second); (2) while
// stalled we send PINGREQ ourselves every keepalive / 2 (the broker sees a live client; a
// subscriber that only receives would otherwise send it nothing) and restart the clock; the
// PINGRESPs wait in the socket and are handled on resume. A connection that dies for real still
// shows: the socket closes, or, while packets flow no more and nothing is stalled, MQTT.js's own
// PINGREQ goes unanswered.
import mqtt, { type MqttClient, type IPublishPacket } from 'mqtt'
import type { Logger } from '../../common/src/logger.js'
import { rsError } from '../../common/src/errors.js'
import { allRigsFilter } from '../../schemas/src/index.js'

/** What is needed to acknowledge one message later. null for QoS 0 messages (nothing to ack). */
export interface AckToken { readonly messageId: number, readonly generation: number }

export interface SubscriptionOptions {
  mqttUrl: string
  username: string
  password: string
  clientId: string
  sharedGroup?: string
  log: Logger
  /** called once per message, in arrival order */
  onMessage: (topic: string, payload: Buffer, ack: AckToken | null) => void
  /** false stops reading from the broker until resume() */
  hasRoom: () => boolean
  connectTimeoutMs?: number
  /** MQTT keepalive in seconds (default 30) */
  keepaliveSeconds?: number
  /**
   * Called with the subscription as soon as it exists, BEFORE start-up completes: a resumed
   * session delivers frames at once, and acknowledging them or resuming after a full buffer
   * must work from the first one.
   */
  onSubscription?: (s: FrameSubscription) => void
}

export interface FrameSubscription {
  /** sends PUBACK for these messages, in order; returns how many were stale (older connection) */
  ack (tokens: Array<AckToken | null>): number
  /** call when there is room again */
  resume (): void
  /** stop taking messages: the ones not taken stay with the broker */
  pause (): void
  readonly connected: boolean
  end (): Promise<void>
}

const SKIP_AUTO_ACK = new Error('rigstream ingest acknowledges after the frame is durable')

type SendPacket = (packet: { cmd: 'puback', messageId: number } | { cmd: 'pingreq' }, cb?: (err?: Error) => void) => void

export async function subscribeFrames (o: SubscriptionOptions): Promise<FrameSubscription> {
  const topic = o.sharedGroup ? `$share/${o.sharedGroup}/${allRigsFilter('frames')}` : allRigsFilter('frames')
  const log = o.log
  const client: MqttClient = mqtt.connect(o.mqttUrl, {
    protocolVersion: 4, // MQTT 3.1.1: aedes, Mosquitto, EMQX, HiveMQ all speak it
    clientId: o.clientId,
    clean: false, // persistent session: the broker holds QoS 1 frames while ingest is down
    username: o.username,
    password: o.password,
    keepalive: o.keepaliveSeconds ?? 30,
    reconnectPeriod: 1000,
    connectTimeout: o.connectTimeoutMs ?? 10_000,
    resubscribe: false // we subscribe on every CONNACK without a session, below
  })
  const sendPacket = (client as unknown as { _sendPacket?: SendPacket })._sendPacket
  if (typeof sendPacket !== 'function') {
    client.end(true)
    throw rsError('RS_ERR_CONFIG', 'this mqtt.js has no _sendPacket; ingest needs it to acknowledge after the durable write (see subscription.ts)')
  }

  let generation = 0
  let paused = false
  let stalled: Array<() => void> = []
  const keepaliveMs = (o.keepaliveSeconds ?? 30) * 1000
  let stallPing: NodeJS.Timeout | null = null
  const reschedulePing = (client as unknown as { reschedulePing?: (force?: boolean) => void }).reschedulePing
  const pingWhileStalled = (): void => {
    if (stallPing !== null || keepaliveMs <= 0) return
    stallPing = setInterval(() => {
      if (!client.connected) return
      sendPacket.call(client, { cmd: 'pingreq' })
      reschedulePing?.call(client, true)
    }, Math.max(500, Math.floor(keepaliveMs / 2)))
  }
  const stopStallPing = (): void => {
    if (stallPing !== null) { clearInterval(stallPing); stallPing = null }
  }
  let aliveAt = 0
  client.on('packetreceive', packet => {
    // The generation changes when the CONNACK is READ, not on 'connect': MQTT.js emits 'connect'
    // only after replaying its outgoing store, and a resumed session's PUBLISHes (handled in
    // socket order) can come before that; tokens taken then would count as stale on the very
    // connection they came on and never be acknowledged (found by tests/faults/ingest-kafka-sigkill).
    if (packet.cmd === 'connack' && !(packet as { returnCode?: number }).returnCode) generation++
    const now = Date.now()
    if (now - aliveAt < 1000) return
    aliveAt = now
    reschedulePing?.call(client, true)
  })

  client.handleMessage = (packet: IPublishPacket, callback: (err?: Error) => void): void => {
    const qos1 = packet.qos > 0 && packet.messageId !== undefined
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
    o.onMessage(packet.topic, payload, qos1 ? { messageId: packet.messageId!, generation } : null)
    const next = (): void => callback(qos1 ? SKIP_AUTO_ACK : undefined)
    if (!paused && o.hasRoom()) next()
    else { stalled.push(next); pingWhileStalled() } // stop reading: backpressure to the broker
  }

  const resume = (): void => {
    if (paused || !o.hasRoom() || stalled.length === 0) return
    const s = stalled
    stalled = []
    stopStallPing()
    for (const next of s) next()
  }

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(rsError('RS_ERR_CONFIG', `no CONNACK/SUBACK from ${o.mqttUrl} within ${o.connectTimeoutMs ?? 10_000} ms`)), (o.connectTimeoutMs ?? 10_000) + 1000)
    client.on('connect', connack => {
      log.info({ sessionPresent: connack.sessionPresent, generation }, 'connected to MQTT broker')
      if (connack.sessionPresent && generation > 1) return
      // first connection of this process (the session may be someone else's), or [MQTT-3.2.2-2]
      // no session on the broker: (re)subscribe. With a session present, its queued frames come
      // first and the SUBACK only behind them: start-up does not wait for it, or a backlog larger
      // than ingest may hold would stall the socket before the SUBACK and ingest would never
      // start (found by tests/faults/ingest-kafka-sigkill.test.ts).
      if (connack.sessionPresent) { clearTimeout(timer); resolve() }
      client.subscribe(topic, { qos: 1 }, (err, granted) => {
        const g = granted?.[0]
        if (err || !g || g.qos === 128) {
          const e = rsError('RS_ERR_FORBIDDEN', `subscription to ${topic} refused${err ? ': ' + err.message : ''}`)
          log.error({ err: e }, 'subscribe failed')
          clearTimeout(timer); reject(e)
          return
        }
        log.info({ topic, qos: g.qos }, 'subscribed')
        clearTimeout(timer); resolve()
      })
    })
    client.on('error', err => {
      log.warn({ err }, 'MQTT client error')
      // a refused CONNECT (bad credentials) will not get better by retrying at start-up
      if (generation === 0 && /Identifier rejected/i.test(err.message)) {
        // CONNACK 2: the credentials are fine; the broker gives this client id to another account
        clearTimeout(timer)
        reject(rsError('RS_ERR_CONFLICT', `client id ${JSON.stringify(o.clientId)} is refused by the broker (${err.message}): another account holds it or its session; set RS_INGEST_CLIENT_ID to an id of ingest's own`))
      } else if (generation === 0 && /Not authorized|Bad username or password|Connection refused/i.test(err.message)) { clearTimeout(timer); reject(rsError('RS_ERR_AUTH', err.message)) }
    })
  })
  let ending = false
  client.on('close', () => { if (generation > 0 && !ending) log.warn('MQTT connection closed; reconnecting') })

  const subscription: FrameSubscription = {
    ack (tokens) {
      let stale = 0
      for (const t of tokens) {
        if (t === null) continue
        if (t.generation !== generation || !client.connected) { stale++; continue }
        sendPacket.call(client, { cmd: 'puback', messageId: t.messageId })
      }
      return stale
    },
    resume,
    pause () { paused = true },
    get connected () { return client.connected },
    async end () {
      paused = true
      ending = true
      stopStallPing()
      stalled = [] // never called: those messages stay unacknowledged with the broker
      await client.endAsync(false)
    }
  }
  o.onSubscription?.(subscription)

  try {
    await ready
  } catch (err) {
    stopStallPing()
    await client.endAsync(true).catch(() => {})
    throw err
  }
  return subscription
}
