/**
 * LiveHub: fans LiveBus events out to the WebSocket clients subscribed to each rig.
 *
 * Hot path (one 'frames' event): look up the rig's subscribers; if none, return. Otherwise each
 * channel is downsampled and serialised once, and one message string is built per distinct
 * channel set among the subscribers, so N dashboards on one rig cost one serialisation, not N.
 */
import type { WebSocket, RawData } from 'ws'
import type { LiveBus, LiveFrame, LiveState, LivePrediction, LiveAlert } from '../../../common/src/live.js'
import type { Logger } from '../../../common/src/logger.js'
import type { ChannelSamples } from '../../../schemas/src/index.js'
import { LiveClient, type SendLimits, type Subscription } from './client.js'
import { canReadTenant, type Principal, type SubscribeAuthorizer } from './authorize.js'
import { downsample, pointsPerWindow } from './downsample.js'
import { dispatch } from './handlers/index.js'
import type { HandlerContext } from './handlers/context.js'
import { rigKey } from './handlers/target.js'
import { stateJson, predictionJson, alertJson, num } from './wire.js'
import { PROTOCOL_VERSION } from './protocol.js'

export interface LiveHubOptions {
  bus: LiveBus
  log: Logger
  authorize: SubscribeAuthorizer
  /** display points per channel per second of frame window (default 20) */
  maxPointsPerSecond?: number
  limits?: Partial<SendLimits>
  maxSubscriptionsPerClient?: number
  /** ping interval; a client that misses one pong is dropped (default 30 s) */
  heartbeatMs?: number
  /**
   * which frames are pushed: 'committed' (the bus's 'frames' event, default) or 'accepted'
   * (ingest's 'frameAccepted': validated, commit still ahead; the embedded process uses it)
   */
  frames?: 'committed' | 'accepted'
}

export interface LiveStats {
  wsClients: number
  subscriptions: number
  framesSent: number
  framesDropped: number
  controlDropped: number
  peakBufferedBytes: number
  /** WebSocket messages written; below framesSent + control messages when clients batch (/ws?batch=1) */
  wireMessages: number
}

interface RigLatest { status?: string, state?: string, prediction?: string }

export class LiveHub implements HandlerContext {
  readonly authorize: SubscribeAuthorizer
  readonly maxSubscriptionsPerClient: number
  private readonly clients = new Set<LiveClient>()
  private readonly index = new Map<string, Map<LiveClient, Subscription>>()
  private readonly known = new Map<string, RigLatest>()
  private readonly perSecond: number
  private readonly limits: SendLimits
  private readonly log: Logger
  private readonly heartbeat: NodeJS.Timeout
  private totals = { framesSent: 0, framesDropped: 0, controlDropped: 0, peakBufferedBytes: 0, wireMessages: 0 }
  private readonly framesEvent: 'frames' | 'frameAccepted'
  private readonly listeners: {
    frames: (ev: LiveFrame) => void
    state: (ev: LiveState) => void
    prediction: (ev: LivePrediction) => void
    alert: (ev: LiveAlert) => void
  }

  constructor (private readonly o: LiveHubOptions) {
    this.authorize = o.authorize
    this.log = o.log
    this.perSecond = o.maxPointsPerSecond ?? 20
    this.limits = { softBytes: o.limits?.softBytes ?? 256 * 1024, hardBytes: o.limits?.hardBytes ?? 1024 * 1024 }
    this.maxSubscriptionsPerClient = o.maxSubscriptionsPerClient ?? 1024
    // LiveBus.emit is synchronous inside ingest's commit path: nothing thrown here may reach it
    const safe = <T>(what: string, fn: (ev: T) => void) => (ev: T): void => {
      try { fn(ev) } catch (err) { this.log.error({ err, event: what }, 'live push failed; event skipped') }
    }
    this.listeners = {
      frames: safe('frames', (ev: LiveFrame) => this.onFrames(ev)),
      state: safe('state', (ev: LiveState) => this.onState(ev)),
      prediction: safe('prediction', (ev: LivePrediction) => this.onPrediction(ev)),
      alert: safe('alert', (ev: LiveAlert) => this.onAlert(ev))
    }
    this.framesEvent = o.frames === 'accepted' ? 'frameAccepted' : 'frames'
    o.bus.on(this.framesEvent, this.listeners.frames)
    o.bus.on('state', this.listeners.state)
    o.bus.on('prediction', this.listeners.prediction)
    o.bus.on('alert', this.listeners.alert)
    this.heartbeat = setInterval(() => this.ping(), o.heartbeatMs ?? 30_000)
    this.heartbeat.unref()
  }

  /** Rigs known to be there (e.g. from the database at start), so they are not announced as new. */
  seedRigs (rigs: Iterable<{ tenant: string, rig: string }>): void {
    for (const r of rigs) if (!this.known.has(rigKey(r.tenant, r.rig))) this.known.set(rigKey(r.tenant, r.rig), {})
  }

  /** Last RigState status name seen on the bus for a rig ('ONLINE', 'OFFLINE'), if any. */
  lastStatus (tenant: string, rig: string): string | undefined {
    return this.known.get(rigKey(tenant, rig))?.status
  }

  /** The connected clients (socket and principal), e.g. to close those whose account changed. */
  connected (): LiveClient[] {
    return [...this.clients]
  }

  /** batching: the client asked for /ws?batch=1 (./client.ts) */
  attach (socket: WebSocket, principal: Principal, batching = false): LiveClient {
    const client = new LiveClient(socket, principal, this.limits, this.log, batching)
    this.clients.add(client)
    socket.on('message', (data: RawData, isBinary: boolean) => {
      client.inbox = client.inbox.then(() => dispatch(this, client, data, isBinary))
    })
    socket.on('pong', () => { client.alive = true })
    socket.on('close', () => this.detach(client))
    socket.on('error', err => client.log.debug({ err }, 'WebSocket error'))
    client.send({ type: 'hello', protocol: PROTOCOL_VERSION, maxPointsPerSecond: this.perSecond, downsample: 'minmax', batch: batching })
    return client
  }

  subscribe (client: LiveClient, sub: Subscription): void {
    const key = rigKey(sub.tenant, sub.rig)
    client.subs.set(key, sub)
    let m = this.index.get(key)
    if (!m) this.index.set(key, m = new Map())
    m.set(client, sub)
  }

  unsubscribe (client: LiveClient, tenant: string, rig: string): boolean {
    const key = rigKey(tenant, rig)
    if (!client.subs.delete(key)) return false
    const m = this.index.get(key)
    m?.delete(client)
    if (m?.size === 0) this.index.delete(key)
    return true
  }

  sendLatest (client: LiveClient, tenant: string, rig: string): void {
    const latest = this.known.get(rigKey(tenant, rig))
    if (latest?.state) client.sendControlRaw(latest.state)
    if (latest?.prediction) client.sendControlRaw(latest.prediction)
  }

  stats (): LiveStats {
    let subscriptions = 0
    const t = { ...this.totals }
    for (const c of this.clients) {
      subscriptions += c.subs.size
      t.framesSent += c.framesSent
      t.framesDropped += c.framesDropped
      t.controlDropped += c.controlDropped
      t.wireMessages += c.wireMessages
      t.peakBufferedBytes = Math.max(t.peakBufferedBytes, c.peakBufferedBytes)
    }
    return { wsClients: this.clients.size, subscriptions, ...t }
  }

  /** Stops listening to the bus and closes every socket (1001 going away). */
  close (): void {
    clearInterval(this.heartbeat)
    this.o.bus.off(this.framesEvent, this.listeners.frames)
    this.o.bus.off('state', this.listeners.state)
    this.o.bus.off('prediction', this.listeners.prediction)
    this.o.bus.off('alert', this.listeners.alert)
    for (const c of this.clients) c.socket.close(1001, 'server shutting down')
  }

  private detach (client: LiveClient): void {
    if (!this.clients.delete(client)) return
    for (const sub of [...client.subs.values()]) this.unsubscribe(client, sub.tenant, sub.rig)
    client.close()
    this.totals.framesSent += client.framesSent
    this.totals.framesDropped += client.framesDropped
    this.totals.controlDropped += client.controlDropped
    this.totals.wireMessages += client.wireMessages
    this.totals.peakBufferedBytes = Math.max(this.totals.peakBufferedBytes, client.peakBufferedBytes)
  }

  private ping (): void {
    for (const c of this.clients) {
      if (!c.alive) { c.socket.terminate(); continue }
      c.alive = false
      c.socket.ping()
    }
  }

  /** Remembers a rig; the first time it is seen, tells every client that may read its tenant. */
  private note (tenant: string, rig: string): RigLatest {
    const key = rigKey(tenant, rig)
    let latest = this.known.get(key)
    if (latest) return latest
    this.known.set(key, latest = {})
    const msg = JSON.stringify({ type: 'rigs', added: [{ tenant, rig }] })
    for (const c of this.clients) if (canReadTenant(c.principal, tenant)) c.sendControlRaw(msg)
    return latest
  }

  private onFrames (ev: LiveFrame): void {
    this.note(ev.tenant, ev.rig)
    const subs = this.index.get(rigKey(ev.tenant, ev.rig))
    if (!subs || subs.size === 0) return
    const b = ev.batch
    const windowUs = num(b.windowUs) || 1_000_000
    const maxPoints = pointsPerWindow(this.perSecond, windowUs)
    const fragments = new Map<ChannelSamples, string>()
    const fragment = (c: ChannelSamples): string => {
      let f = fragments.get(c)
      if (f === undefined) {
        const s = downsample(c.samples ?? [], num(c.rateHz), num(c.startUs), maxPoints)
        f = `${JSON.stringify(c.id)}:{"startUs":${s.startUs},"dtUs":${s.dtUs},"v":${JSON.stringify(s.v)}}`
        fragments.set(c, f)
      }
      return f
    }
    const head = `{"type":"frames","tenant":${JSON.stringify(ev.tenant)},"rig":${JSON.stringify(ev.rig)},"seq":${num(ev.seq)},"windowStartUs":${num(b.windowStartUs)},"channels":{`
    const bySet = new Map<string, string>()
    for (const [client, sub] of subs) {
      let msg = bySet.get(sub.channelsKey)
      if (msg === undefined) {
        const parts: string[] = []
        for (const c of b.channels ?? []) {
          if (c.id && (sub.channels === null || sub.channels.has(c.id))) parts.push(fragment(c as ChannelSamples))
        }
        msg = head + parts.join(',') + '}}'
        bySet.set(sub.channelsKey, msg)
      }
      client.sendFrames(msg)
    }
  }

  private onState (ev: LiveState): void {
    const state = stateJson(ev.state)
    const msg = JSON.stringify({ type: 'state', tenant: ev.tenant, rig: ev.rig, state })
    const latest = this.note(ev.tenant, ev.rig)
    latest.state = msg
    latest.status = String(state.status)
    this.toSubscribers(ev.tenant, ev.rig, msg)
  }

  private onPrediction (ev: LivePrediction): void {
    const msg = JSON.stringify({ type: 'prediction', tenant: ev.tenant, rig: ev.rig, prediction: predictionJson(ev.prediction) })
    this.note(ev.tenant, ev.rig).prediction = msg
    this.toSubscribers(ev.tenant, ev.rig, msg)
  }

  private onAlert (ev: LiveAlert): void {
    this.note(ev.tenant, ev.rig)
    this.toSubscribers(ev.tenant, ev.rig, JSON.stringify({ type: 'alert', tenant: ev.tenant, rig: ev.rig, alert: alertJson(ev.alert) }))
  }

  private toSubscribers (tenant: string, rig: string, msg: string): void {
    const subs = this.index.get(rigKey(tenant, rig))
    if (subs) for (const client of subs.keys()) client.sendControlRaw(msg)
  }
}
