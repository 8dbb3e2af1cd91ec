// A small durable outbox for what the agent itself produces (predictions, alerts): each message is
// a file written before it is published (temp file, fsync, rename) and removed on PUBACK, so an
// alert raised while the broker is unreachable survives a restart and is delivered later, in order.
// Bounded: above `maxMessages` the oldest message is dropped (counted and logged, never silent).
// Frames do not use this: they go through the agent's spool (one file per message would not keep
// up with a frame per second per rig on a gateway's flash for days).
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import type { Logger } from '../../../common/src/logger.js'

export interface OutboxStats {
  pending: number
  delivered: number
  dropped: number
}

interface Entry { name: string, topic: string, payload: Buffer }

const SUFFIX = '.msg'

export class Outbox {
  private readonly entries: Entry[] = []
  private readonly inflight = new Set<string>()
  private counter = 0
  private client: MqttClient | undefined
  private closed = false
  readonly stats: OutboxStats = { pending: 0, delivered: 0, dropped: 0 }
  private writes: Promise<void> = Promise.resolve()
  private idleWaiters: Array<() => void> = []

  private constructor (readonly dir: string, private readonly maxMessages: number, private readonly maxInflight: number, private readonly log: Logger) {}

  /** Opens (and reloads) the outbox in `dir`: messages left by a previous run are delivered first. */
  static async open (dir: string, log: Logger, opts: { maxMessages?: number, maxInflight?: number } = {}): Promise<Outbox> {
    await mkdir(dir, { recursive: true })
    const box = new Outbox(dir, opts.maxMessages ?? 10_000, opts.maxInflight ?? 16, log)
    const names = (await readdir(dir)).filter(n => n.endsWith(SUFFIX)).sort()
    for (const name of names) {
      const raw = await readFile(join(dir, name))
      const nl = raw.indexOf(10)
      if (nl <= 0) {
        log.warn({ file: name }, 'outbox: unreadable message file removed')
        await unlink(join(dir, name)).catch(() => {})
        continue
      }
      box.entries.push({ name, topic: raw.subarray(0, nl).toString('utf8'), payload: raw.subarray(nl + 1) })
      box.counter = Math.max(box.counter, Number.parseInt(name, 10) || 0)
    }
    // leftover temp files of a write cut short by a crash: the message was never accepted
    for (const n of (await readdir(dir)).filter(n => n.endsWith('.tmp'))) await unlink(join(dir, n)).catch(() => {})
    box.stats.pending = box.entries.length
    if (box.entries.length > 0) log.info({ pending: box.entries.length }, 'outbox: messages from a previous run will be delivered')
    return box
  }

  /** Delivery starts (and resumes on every connect) through this client. */
  attach (client: MqttClient): void {
    this.client = client
    client.on('connect', () => this.pump())
    this.pump()
  }

  /** Durably stores one message (resolves once it is on disk), then publishes it when connected. */
  async add (topic: string, payload: Uint8Array): Promise<void> {
    const p = this.writes.then(async () => {
      const name = String(++this.counter).padStart(12, '0') + SUFFIX
      const body = Buffer.concat([Buffer.from(topic + '\n', 'utf8'), payload])
      const tmp = join(this.dir, name + '.tmp')
      const fh = await open(tmp, 'w')
      try {
        await fh.writeFile(body)
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, join(this.dir, name))
      this.entries.push({ name, topic, payload: Buffer.from(payload) })
      while (this.entries.length > this.maxMessages) {
        const old = this.entries.findIndex(e => !this.inflight.has(e.name))
        if (old < 0) break
        const [gone] = this.entries.splice(old, 1)
        this.stats.dropped++
        if (this.stats.dropped === 1 || this.stats.dropped % 100 === 0) this.log.warn({ dropped: this.stats.dropped, topic: gone!.topic }, 'outbox full: dropped the oldest undelivered message')
        await unlink(join(this.dir, gone!.name)).catch(() => {})
      }
      this.stats.pending = this.entries.length
    })
    this.writes = p.catch(() => {})
    await p
    this.pump()
  }

  pump (): void {
    const client = this.client
    if (client === undefined || this.closed || !client.connected) return
    for (const e of this.entries) {
      if (this.inflight.size >= this.maxInflight) break
      if (this.inflight.has(e.name)) continue
      this.inflight.add(e.name)
      client.publish(e.topic, e.payload, { qos: 1 }, err => {
        this.inflight.delete(e.name)
        if (err) {
          // not acknowledged (connection lost): stays in the outbox, retried on the next connect
          this.log.debug({ err: err.message }, 'outbox: publish not acknowledged')
          this.notifyIdle()
          return
        }
        void this.delivered(e)
      })
    }
  }

  private async delivered (e: Entry): Promise<void> {
    const i = this.entries.indexOf(e)
    if (i >= 0) this.entries.splice(i, 1)
    this.stats.delivered++
    this.stats.pending = this.entries.length
    await unlink(join(this.dir, e.name)).catch(() => {})
    this.notifyIdle()
    this.pump()
  }

  private notifyIdle (): void {
    if (this.inflight.size > 0) return
    const w = this.idleWaiters
    this.idleWaiters = []
    for (const f of w) f()
  }

  /** Resolves when nothing is in flight (delivered, or given up until the next connect). */
  async settled (): Promise<void> {
    await this.writes
    if (this.inflight.size === 0) return
    await new Promise<void>(resolve => this.idleWaiters.push(resolve))
  }

  close (): void {
    this.closed = true
    this.notifyIdle()
    for (const f of this.idleWaiters) f()
    this.idleWaiters = []
  }
}
