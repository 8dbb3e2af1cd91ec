// The edge agent of one rig: source -> frames (seq) -> spool -> MQTT QoS 1, with birth and last will.
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { rigTopic, isValidId } from '../../schemas/src/index.js'
import { rsError } from '../../common/src/errors.js'
import type { Logger } from '../../common/src/logger.js'
import { connect, nowUs, statePayload, type ConnectionOptions } from './connection.js'
import { toFrameBatch } from './framing.js'
import { Publisher } from './publisher.js'
import { SeqStore } from './seq-store.js'
import { createMemorySpool } from './spool/memory.js'
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
  /** the agent keeps its state (seq, later the spool) in stateDir/<tenant>/<rig>/ */
  stateDir: string
  /** 1 = real time (default); N = N times faster; 0 = as fast as the broker acks */
  speed?: number
  log: Logger
  /** most frames published and not yet acknowledged; default 64 */
  maxInflight?: number
  /** default `rs-agent-<tenant>-<rig>`; must stay the same across restarts (persistent session) */
  clientId?: string
  /** the spool frames wait in until PUBACK; default an in-memory spool (issue 4: disk) */
  spool?: Spool
  /** how long stop() waits for outstanding PUBACKs; default 5000 ms */
  stopTimeoutMs?: number
  /** seqs reserved per durable write of the seq file; default 1000 (see seq-store.ts) */
  seqBlock?: number
  /** fixed reconnect delay; default 1000 ms */
  reconnectPeriodMs?: number
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

  const seqs = await SeqStore.open(join(o.stateDir, tenant, rig), { block: o.seqBlock })
  const spool = o.spool ?? createMemorySpool()
  const conn: ConnectionOptions = {
    brokerUrl: o.brokerUrl,
    tenant,
    rig,
    clientId: o.clientId ?? `rs-agent-${tenant}-${rig}`,
    username: o.username,
    password: o.password,
    profileId: source.profileId,
    sourceKind: source.kind,
    reconnectPeriodMs: o.reconnectPeriodMs
  }
  const client = connect(conn)
  // >>> extensions
  const extensions = o.extensions ?? []
  for (const x of extensions) x.attach?.({ client, tenant, rig, log })
  // <<< extensions
  const stateTopic = rigTopic(tenant, rig, 'state')
  const publisher = new Publisher(client, rigTopic(tenant, rig, 'frames'), spool, maxInflight, log)
  const stopping = new AbortController()
  let wasConnected = false
  let lastErrorCode: unknown

  client.on('connect', () => {
    wasConnected = true
    lastErrorCode = undefined
    log.info({ broker: o.brokerUrl, clientId: conn.clientId, nextSeq: seqs.last() + 1 }, 'connected')
    // Birth: retained ONLINE, replacing the OFFLINE a previous death left.
    client.publish(stateTopic, statePayload('ONLINE', conn), { qos: 1, retain: true }, err => {
      if (err) log.warn({ err: err.message }, 'birth message not delivered')
    })
    publisher.pump()
  })
  client.on('close', () => {
    if (wasConnected && !stopping.signal.aborted) log.warn({ spooled: spool.stats().frames }, 'disconnected; frames stay spooled')
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

  async function publishWindow (window: SourceWindow): Promise<void> {
    const seq = await seqs.next()
    const payload = toFrameBatch(tenant, rig, seq, window, nowUs(), source.profileId)
    const dropped = await spool.append({ seq, payload })
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
    if (left > 0) log.warn({ unacked: left }, 'stopping with unacknowledged frames; the in-memory spool does not keep them')
    // A clean DISCONNECT discards the last will, so only after OFFLINE is delivered; otherwise
    // drop the socket and let the broker publish the will.
    await client.endAsync(!offlineSent || left > 0)
    await seqs.close()
    await spool.close()
    log.info({ lastSeq: seqs.last(), published: publisher.published, acked: publisher.acked }, 'agent stopped')
  }

  return {
    stats: () => {
      const s = spool.stats()
      return { published: publisher.published, acked: publisher.acked, seq: seqs.last(), connected: client.connected, spooled: s.frames, dropped: s.dropped }
    },
    stop: () => (stopped ??= stop())
  }
}
