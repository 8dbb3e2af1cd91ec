/**
 * One connected dashboard: its socket, its subscriptions and its bounded send path.
 *
 * Backpressure: `socket.bufferedAmount` is what Node holds for this socket beyond the kernel's
 * buffer. A frames message is dropped (and counted) while it is above `softBytes`; the client
 * is then told {"type":"lag","dropped":n} as soon as its buffer has drained. Control messages
 * (state, predictions, alerts, replies) are small and rare and go out up to `hardBytes`. So what
 * one slow client costs is bounded by hardBytes plus one message, never by how long it lags.
 *
 * Batching (`/ws?batch=1`): the messages written to a client in one turn of the event loop go
 * out as ONE WebSocket message, a JSON array of them in order (a single one goes out as itself).
 * With hundreds of rigs a dashboard otherwise receives hundreds of small messages a second, and
 * each costs a browser a task, an IPC hop and an event of its own; ingest hands frames to the hub
 * in bursts (one MQTT read), so one turn usually carries many. Nothing waits for a timer: the
 * batch leaves at the end of the turn that made it.
 */
import type { WebSocket } from 'ws'
import type { Logger } from '../../../common/src/logger.js'
import { ERRORS, type ErrorCode } from '../../../common/src/errors.js'
import type { Principal } from './authorize.js'
import type { ServerMessage } from './protocol.js'

export interface SendLimits {
  /** frames messages are dropped while this many bytes wait to be sent */
  softBytes: number
  /** every message is dropped while this many bytes wait */
  hardBytes: number
}

export interface Subscription {
  tenant: string
  rig: string
  /** null = every channel the frames carry */
  channels: ReadonlySet<string> | null
  /** stable key of the channel set, shared by clients that ask for the same set */
  channelsKey: string
}

const OPEN = 1
const LAG_CHECK_MS = 200

let nextId = 1

export class LiveClient {
  readonly id = nextId++
  readonly subs = new Map<string, Subscription>()
  readonly log: Logger
  /** frames messages sent / dropped over the life of this client */
  framesSent = 0
  framesDropped = 0
  controlDropped = 0
  /** WebSocket messages written (with batching one may carry many of the messages above) */
  wireMessages = 0
  /** largest bufferedAmount seen right after a send */
  peakBufferedBytes = 0
  alive = true
  /** messages from this client are handled one after another, in order */
  inbox: Promise<void> = Promise.resolve()
  private pendingLag = 0
  private lagTimer: NodeJS.Timeout | undefined
  /** batching: messages of this turn, not yet sent, and their size */
  private outbox: string[] = []
  private outboxBytes = 0

  constructor (readonly socket: WebSocket, readonly principal: Principal, private readonly limits: SendLimits, log: Logger, readonly batching = false) {
    this.log = log.child({ ws: this.id })
  }

  /** bytes waiting for this client: Node's buffer plus this turn's batch */
  private get waiting (): number { return this.socket.bufferedAmount + this.outboxBytes }

  get open (): boolean { return this.socket.readyState === OPEN }

  /** Sends a pre-serialised frames message unless the client is behind; returns whether it went out. */
  sendFrames (json: string): boolean {
    if (!this.open) return false
    if (this.waiting > this.limits.softBytes) {
      this.framesDropped++
      this.pendingLag++
      this.armLagCheck()
      return false
    }
    if (this.pendingLag > 0) this.flushLag()
    this.write(json)
    this.framesSent++
    return true
  }

  sendControlRaw (json: string): boolean {
    if (!this.open) return false
    if (this.waiting > this.limits.hardBytes) {
      this.controlDropped++
      return false
    }
    this.write(json)
    return true
  }

  send (msg: ServerMessage): boolean {
    return this.sendControlRaw(JSON.stringify(msg))
  }

  sendError (code: ErrorCode, detail: string): void {
    this.send({ type: 'error', code, message: `${ERRORS[code].message}: ${detail}` })
  }

  close (): void {
    if (this.lagTimer) clearInterval(this.lagTimer)
    this.lagTimer = undefined
  }

  private write (json: string): void {
    if (!this.batching) return this.sendNow(json)
    this.outbox.push(json)
    this.outboxBytes += json.length
    if (this.outbox.length === 1) setImmediate(() => this.flushOutbox())
  }

  private flushOutbox (): void {
    const out = this.outbox
    this.outbox = []
    this.outboxBytes = 0
    if (out.length === 0 || !this.open) return
    this.sendNow(out.length === 1 ? out[0] : '[' + out.join(',') + ']')
  }

  private sendNow (json: string): void {
    this.socket.send(json)
    this.wireMessages++
    const b = this.socket.bufferedAmount
    if (b > this.peakBufferedBytes) this.peakBufferedBytes = b
  }

  private flushLag (): void {
    const dropped = this.pendingLag
    this.pendingLag = 0
    if (this.lagTimer) { clearInterval(this.lagTimer); this.lagTimer = undefined }
    this.write(JSON.stringify({ type: 'lag', dropped }))
    this.log.warn({ dropped, totalDropped: this.framesDropped }, 'slow WebSocket client: frames dropped')
  }

  /** While lagging with no new frames to carry the news, look now and then whether the buffer drained. */
  private armLagCheck (): void {
    if (this.lagTimer) return
    this.lagTimer = setInterval(() => {
      if (!this.open) return this.close()
      if (this.pendingLag > 0 && this.waiting <= this.limits.softBytes) this.flushLag()
    }, LAG_CHECK_MS)
    this.lagTimer.unref()
  }
}
