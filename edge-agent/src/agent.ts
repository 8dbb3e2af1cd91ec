// The edge agent of one rig: source -> frames (seq) -> disk spool -> MQTT QoS 1, with birth and
// last will, reconnect backoff, paced replay and clock-drift reporting (docs/edge.md).
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { rigTopic, isValidId } from '../../schemas/src/index.js'
import { rsError } from '../../common/src/errors.js'
import type { Logger } from '../../common/src/logger.js'
import { ClockDriftMonitor } from './clock-drift.js'
import { connect, nowUs, statePayload, type BackoffOptions, type ConnectionOptions } from './connection.js'
import { toFrameBatch } from './framing.js'
import { Publisher } from './publisher.js'
import { SeqStore } from './seq-store.js'
import { createDiskSpool, type DiskSpoolOptions } from './spool/disk.js'
import type { Spool } from './spool/types.js'
import type { RigSource, SourceWindow } from './sources/types.js'
// >>> extensions (issue 4 part B): diagnosis, model updates, ops plug in here; see extensions.ts
import type { AgentExtension } from './extensions.js'
// <<< extensions

export interface AgentOptions {
  brokerUrl: string
  tenant: string
  rig: string
  username?: string
  password?: string
  source: RigSource
  /** the agent keeps its state (seq file, spool/) in stateDir/<tenant>/<rig>/ */
  stateDir: string
  /** 1 = real time (default); N = N times faster; 0 = as fast as the broker acks */
  speed?: number
  log: Logger
  /** most frames published and not yet acknowledged; default 64 */
  maxInflight?: number
  /** default `rs-agent-<tenant>-<rig>`; must stay the same across restarts (persistent session) */
  clientId?: string
  /** the spool frames wait in until PUBACK; default the disk spool in stateDir/<tenant>/<rig>/spool */
  spool?: Spool
  /** bounds and fsync policy of the default disk spool */
  spoolOptions?: Omit<DiskSpoolOptions, 'dir' | 'log'>
  /** how long stop() waits for outstanding PUBACKs; default 5000 ms */
  stopTimeoutMs?: number
  /** seqs reserved per durable write of the seq file; default 1000 (see seq-store.ts) */
  seqBlock?: number
  /** reconnect backoff (exponential, jittered); default 1 s doubling up to 30 s */
  backoff?: BackoffOptions
  /** older name: a reconnect delay of about this many ms (backoff with initialMs = maxMs = this) */
  reconnectPeriodMs?: number
  /** frames published per second at most, which paces replay after an outage; default 20 x max(speed, 1), unlimited at speed 0 */
  publishRate?: number
  /** an HTTP(S) URL whose Date header is server time, for clock-drift reporting (clock-drift.ts); default none */
  timeUrl?: string
  /** drift beyond this (plus the measurement's uncertainty) is reported; default 2000 ms */
  clockToleranceMs?: number
  // >>> extensions
  /** local diagnosis, model commands, health endpoint (edge-agent/src/extensions.ts) */
  extensions?: readonly AgentExtension[]
  // <<< extensions
}

export interface AgentStats {
  published: number
  acked: number
  /** last seq taken (0 before the first frame) */
  seq: number
  connected: boolean
  /** frames in the spool (not yet acknowledged) */
  spooled: number
  /** frames dropped by the spool's bound policy */
  dropped: number
  /** reconnect attempts since the start */
  reconnects: number
  /** server minus rig clock in ms (null: not measured; needs timeUrl) */
  clockOffsetMs: number | null
  /** true while the rig clock is off server time beyond tolerance */
  clockDrift: boolean
}

export interface Agent {
  stats (): AgentStats
  /** Graceful: stops producing, waits for in-flight PUBACKs up to a bound, publishes OFFLINE, disconnects. */
  stop (): Promise<void>
}

export async function startAgent (o: AgentOptions): Promise<Agent> {
  if (!isValidId(o.tenant)) throw rsError('RS_ERR_CONFIG', `tenant ${JSON.stringify(o.tenant)} must be 1-64 characters of A-Z a-z 0-9 _ -`)
  if (!isValidId(o.rig)) throw rsError('RS_ERR_CONFIG', `rig ${JSON.stringify(o.rig)} must be 1-64 characters of A-Z a-z 0-9 _ -`)
  const speed = o.speed ?? 1
  if (!Number.isFinite(speed) || speed < 0) throw rsError('RS_ERR_CONFIG', `speed must be a number >= 0, got ${speed}`)
  const maxInflight = o.maxInflight ?? 64
  if (!Number.isInteger(maxInflight) || maxInflight < 1 || maxInflight > 65535) throw rsError('RS_ERR_CONFIG', `maxInflight must be an integer in [1, 65535], got ${maxInflight}`)
  const stopTimeoutMs = o.stopTimeoutMs ?? 5000
  const log = o.log.child({ tenant: o.tenant, rig: o.rig })
  const { source, tenant, rig } = o

  const publishRate = o.publishRate ?? (speed === 0 ? 0 : 20 * Math.max(speed, 1))
  if (!Number.isFinite(publishRate) || publishRate < 0) throw rsError('RS_ERR_CONFIG', `publishRate must be a number >= 0 (0 = no cap), got ${publishRate}`)
  const spool = o.spool ?? await createDiskSpool({ ...o.spoolOptions, dir: join(o.stateDir, tenant, rig, 'spool'), log })
  // with a synced disk spool the seq resumes right after the last spooled frame (seq-store.ts)
  const seqs = await SeqStore.open(join(o.stateDir, tenant, rig), { block: o.seqBlock, log: spool })
  if (seqs.logDistrusted) log.warn({ nextSeq: seqs.last() + 1, spoolLastSeq: spool.lastSeq() }, 'the spool holds no frame of the last run, or is damaged: the seq resumes at its reservation (a gap, never a reused seq)')
  const backlog = spool.stats().frames
  if (backlog > 0) log.info({ frames: backlog, nextSeq: seqs.last() + 1 }, 'spooled frames from the last run will be sent first')
  const clock = o.timeUrl ? new ClockDriftMonitor({ url: o.timeUrl, toleranceMs: o.clockToleranceMs, log }) : undefined
  clock?.start()
  const conn: ConnectionOptions = {
    brokerUrl: o.brokerUrl,
    tenant,
    rig,
    clientId: o.clientId ?? `rs-agent-${tenant}-${rig}`,
    username: o.username,
    password: o.password,
    profileId: source.profileId,
    sourceKind: source.kind,
    // the first extension that has a model (local diagnosis) names the active version
    modelVersion: () => {
      for (const x of o.extensions ?? []) {
        const v = x.modelVersion?.()
        if (v !== undefined) return v
      }
      return ''
    },
    backoff: o.backoff ?? (o.reconnectPeriodMs === undefined ? undefined : { initialMs: o.reconnectPeriodMs, maxMs: o.reconnectPeriodMs })
  }
  const connection = connect(conn)
  const client = connection.client
  // >>> extensions
  const stateTopic = rigTopic(tenant, rig, 'state')
  const extensions = o.extensions ?? []
  for (const x of extensions) x.attach?.({ client, tenant, rig, log, publishState: () => { if (!stopping.signal.aborted) publishOnline('state republished') } })
  // <<< extensions
  const publisher = new Publisher(client, rigTopic(tenant, rig, 'frames'), spool, maxInflight, log, publishRate)
  const stopping = new AbortController()
  let wasConnected = false
  let lastErrorCode: unknown

  /** retained ONLINE with the current model version; the will (death) is refreshed to match */
  function publishOnline (what: string): void {
    const will = client.options.will
    if (will) will.payload = statePayload('OFFLINE', conn)
    if (!client.connected) return
    client.publish(stateTopic, statePayload('ONLINE', conn), { qos: 1, retain: true }, err => {
      if (err) log.warn({ err: err.message }, `${what}: not delivered`)
    })
  }

  client.on('connect', () => {
    wasConnected = true
    lastErrorCode = undefined
    log.info({ broker: o.brokerUrl, clientId: conn.clientId, nextSeq: seqs.last() + 1 }, 'connected')
    // Birth: retained ONLINE, replacing the OFFLINE a previous death left.
    publishOnline('birth message')
    publisher.pump()
  })
  client.on('close', () => {
    if (wasConnected && !stopping.signal.aborted) log.warn({ spooled: spool.stats().frames }, 'disconnected; frames stay spooled')
    else if (!stopping.signal.aborted) log.debug({ retryInMs: connection.backoffMs() }, 'not connected; retrying')
    wasConnected = false
  })
  // mqtt.js emits connection errors (refused, bad credentials) here and keeps retrying: the first
  // of a kind after each connect is a warning, repeats while still down are debug (no log flood).
  client.on('error', err => {
    const code = (err as { code?: unknown }).code ?? err.message
    const level = code === lastErrorCode ? 'debug' : 'warn'
    lastErrorCode = code
    log[level]({ err: err.message, code }, 'mqtt error; retrying')
  })

  let droppedLogged = 0

  // A spool write that fails (disk full, I/O error) is retried with backoff; the source waits
  // meanwhile. The frame is never published without being on disk first.
  async function appendWithRetry (seq: number, payload: Uint8Array): Promise<number | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        const n = await spool.append({ seq, payload })
        if (attempt > 0) log.info({ seq, attempts: attempt + 1 }, 'spool writable again')
        return n
      } catch (err) {
        if (attempt === 0) log.error({ err, seq }, 'cannot write the frame to the spool; retrying')
        if (err instanceof RangeError) throw err // a seq out of order is a bug, not a disk problem
        await sleep(Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)), undefined, { signal: stopping.signal }).catch(() => {})
        if (stopping.signal.aborted) return undefined
      }
    }
  }

  async function publishWindow (window: SourceWindow): Promise<void> {
    const seq = await seqs.next()
    const payload = toFrameBatch(tenant, rig, seq, window, nowUs(), source.profileId)
    const dropped = await appendWithRetry(seq, payload)
    if (dropped === undefined) return // stopping
    if (dropped > 0) {
      const total = spool.stats().dropped
      // counted always; logged at the first drop and then every 100th, never silent
      if (droppedLogged === 0 || total - droppedLogged >= 100) {
        droppedLogged = total
        log.warn({ dropped: total, spooled: spool.stats().frames }, 'spool full: dropped oldest unsent frames')
      }
    }
    publisher.pump()
    // >>> extensions
    for (const x of extensions) x.onWindow?.(window, seq)
    // <<< extensions
  }

  async function produce (): Promise<void> {
    const t0 = performance.now()
    let firstUs: number | undefined
    while (!stopping.signal.aborted) {
      if (speed === 0) {
        while (spool.stats().frames >= maxInflight && !stopping.signal.aborted) await publisher.settled()
        if (stopping.signal.aborted) return
      }
      if (source.exhausted?.() === true) {
        log.info({ lastSeq: seqs.last() }, 'source has no more windows; agent stays connected until stopped')
        return
      }
      const window = source.next()
      firstUs ??= window.windowStartUs
      if (speed > 0) {
        // A window is published once it is complete on the rig clock (scaled by speed). Deadlines
        // count from t0, not from the previous frame, so the pace does not drift.
        const wait = t0 + (window.windowStartUs + window.windowUs - firstUs) / 1000 / speed - performance.now()
        if (wait > 0) await sleep(wait, undefined, { signal: stopping.signal }).catch(() => {})
        if (stopping.signal.aborted) return
      }
      await publishWindow(window)
    }
  }

  const producing = produce().catch((err: unknown) => {
    log.error({ err }, 'producer stopped on an error')
  })

  let stopped: Promise<void> | undefined
  async function stop (): Promise<void> {
    stopping.abort()
    publisher.wake()
    await producing
    // >>> extensions: finish their work (e.g. the last diagnosis) while the connection is up
    for (const x of extensions) await x.stop?.()
    // <<< extensions
    const deadline = Date.now() + stopTimeoutMs
    while (spool.stats().frames > 0 && client.connected && Date.now() < deadline) {
      await Promise.race([publisher.settled(), sleep(Math.max(1, Math.min(100, deadline - Date.now())), undefined, { ref: false })])
    }
    let offlineSent = false
    if (client.connected) {
      offlineSent = await Promise.race([
        client.publishAsync(stateTopic, statePayload('OFFLINE', conn), { qos: 1, retain: true }).then(() => true, () => false),
        // unref'd: a pending timer must not keep the process alive after stop
        sleep(Math.max(1, deadline - Date.now() + 1000), undefined, { ref: false }).then(() => false)
      ])
    }
    const left = spool.stats().frames
    if (left > 0) log.warn({ unacked: left, keptOnDisk: 'dir' in spool }, 'stopping with unacknowledged frames (a disk spool sends them after the next start)')
    // A clean DISCONNECT discards the last will, so only after OFFLINE is delivered; otherwise
    // drop the socket and let the broker publish the will.
    connection.stop()
    publisher.halt()
    await client.endAsync(!offlineSent || left > 0)
    await clock?.stop()
    await seqs.close()
    await spool.close()
    log.info({ lastSeq: seqs.last(), published: publisher.published, acked: publisher.acked }, 'agent stopped')
  }

  return {
    stats: () => {
      const s = spool.stats()
      const c = clock?.stats()
      return { published: publisher.published, acked: publisher.acked, seq: seqs.last(), connected: client.connected, spooled: s.frames, dropped: s.dropped, reconnects: connection.reconnects(), clockOffsetMs: c?.clockOffsetMs ?? null, clockDrift: c?.clockDrift ?? false }
    },
    stop: () => (stopped ??= stop())
  }
}
