/**
 * Bounded batching with at most `concurrency` flushes at a time (default 1). Items accumulate
 * while earlier batches are being written; a batch closes when it holds `maxItems` or its oldest
 * item is `maxAgeMs` old. Batches are handed to `flush` in arrival order; with concurrency > 1
 * they may FINISH out of order, so a flush that must complete in order (ingest's PUBACKs) orders
 * itself (commit.ts does). Every item counts against `capacity` and `maxBytes` until its flush
 * has finished; `hasRoom()` is what the subscription reads to stop taking messages
 * (backpressure), `onRoom` says when to start again.
 */
export interface BatcherOptions<T> {
  maxItems: number
  maxAgeMs: number
  capacity: number
  maxBytes: number
  /** flushes running at once (default 1): a second batch is prepared and sent while the first commits */
  concurrency?: number
  sizeOf: (item: T) => number
  /** makes the batch durable and acknowledges it; rejects only when given up (close timeout) */
  flush: (items: T[]) => Promise<void>
  /** called after each flush when there is room (the subscription resumes if it had stopped) */
  onRoom: () => void
  onError: (err: unknown, items: number) => void
  /** clock in ms (tests pass their own); default Date.now */
  now?: () => number
}

interface Held<T> { item: T, at: number }

export class Batcher<T> {
  private buf: Array<Held<T>> = []
  private timer: NodeJS.Timeout | null = null
  private running = 0
  private readonly concurrency: number
  private draining = false
  private idleWaiters: Array<() => void> = []
  private items = 0
  private bytes = 0

  private readonly now: () => number

  constructor (private readonly o: BatcherOptions<T>) {
    this.now = o.now ?? Date.now
    this.concurrency = o.concurrency ?? 1
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new Error(`concurrency must be an integer >= 1, got ${this.concurrency}`)
  }

  /** Items received and not yet flushed to the end (buffered + in the running flush). */
  get held (): number { return this.items }
  get heldBytes (): number { return this.bytes }

  hasRoom (): boolean {
    return this.items < this.o.capacity && this.bytes < this.o.maxBytes
  }

  add (item: T): void {
    this.buf.push({ item, at: this.now() })
    this.items++
    this.bytes += this.o.sizeOf(item)
    if (this.buf.length >= this.o.maxItems) this.kick()
    else if (this.buf.length === 1) this.arm(this.o.maxAgeMs)
  }

  /** Flushes everything buffered now (no waiting for age) and resolves when all flushes are done. */
  async drain (): Promise<void> {
    this.draining = true
    this.kick()
    if (this.running === 0 && this.buf.length === 0) return
    await new Promise<void>(resolve => this.idleWaiters.push(resolve))
  }

  private arm (ms: number): void {
    if (this.timer) return
    this.timer = setTimeout(() => { this.timer = null; this.kick() }, Math.max(0, ms))
  }

  private due (): boolean {
    if (this.buf.length === 0) return false
    return this.draining || this.buf.length >= this.o.maxItems || this.now() - this.buf[0].at >= this.o.maxAgeMs
  }

  private kick (): void {
    // every slot taken: a running flush looks again when it ends
    while (this.running < this.concurrency) {
      if (!this.due()) {
        // a timer may fire a little before the clock says the age is reached: arm it again
        if (this.buf.length > 0) this.arm(this.o.maxAgeMs - (this.now() - this.buf[0].at) + 1)
        return
      }
      if (this.timer) { clearTimeout(this.timer); this.timer = null }
      this.start(this.buf.splice(0, this.o.maxItems).map(h => h.item))
    }
  }

  private start (batch: T[]): void {
    this.running++
    this.o.flush(batch).catch(err => this.o.onError(err, batch.length)).finally(() => {
      this.running--
      this.items -= batch.length
      for (const it of batch) this.bytes -= this.o.sizeOf(it)
      if (this.hasRoom()) this.o.onRoom()
      if (this.due()) this.kick()
      else if (this.buf.length > 0) this.arm(this.o.maxAgeMs - (this.now() - this.buf[0].at))
      if (this.running === 0 && this.buf.length === 0) for (const w of this.idleWaiters.splice(0)) w()
    })
  }
}
