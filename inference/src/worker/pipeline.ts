// Micro-batching and the durable result path (docs/worker.md, "Batches").
//
// Closed windows of every rig queue here. A batch leaves when it has `maxBatch` windows or when
// its oldest window has waited `maxWaitMs`. Two stages, each one batch at a time so that every
// rig's windows stay in order: (1) the model (features + one session.run for the batch),
// (2) persistence: PostgreSQL (idempotent insert), then Kafka rs.predictions.v1 (acks=all), then
// the live bus, then the alert rule (alerts stored, then pushed). Only after stage 2 are the
// windows' holds released, so the Kafka offsets behind them can be committed.
import { performance } from 'node:perf_hooks'
import type { LiveBus } from '../../../common/src/live.js'
import type { Logger } from '../../../common/src/logger.js'
import { RigstreamError } from '../../../common/src/errors.js'
import { Alert, Prediction } from '../../../schemas/src/index.js'
import type { KafkaPredictionRecord } from '../../../ingest/src/sinks/kafka.js'
import type { ModelRuntime, HeadOutput } from '../types.js'
import { DegradedRule } from './alerts.js'
import type { PredictionStore } from './store.js'
import type { AlertRow, ClosedWindow, PredictionRow } from './types.js'
import type { ShadowOptions, ShadowRow } from './shadow.js'

export interface PredictionSink { sendPredictions (records: KafkaPredictionRecord[]): Promise<void> }

export interface PipelineOptions {
  runtime: ModelRuntime
  store: PredictionStore & Partial<HistorySource>
  /** rs.predictions.v1 producer (absent: no Kafka) */
  sink?: PredictionSink | null
  bus?: LiveBus | null
  log: Logger
  /** largest batch handed to the model (default 256) */
  maxBatch?: number
  /** longest a window waits for its batch to fill, ms (default 50) */
  maxWaitMs?: number
  /** K of the alert rule (default 3); 0 disables alerts */
  alertCycles?: number
  /** called once a batch is durable, with the time it became so (performance.now()) */
  onDurable?: (windows: readonly ClosedWindow[], atMs: number) => void
  /** delay between retries of a failed store or send (default 500 ms, doubling to 10 s) */
  retryMs?: number
  /** a candidate model run in shadow on the same windows (shadow.ts): stored apart, never produced, pushed or alerted on */
  shadow?: ShadowOptions | null
}

/** Stored class history of rigs, to seed the alert rule (store.ts implements it). */
export interface HistorySource {
  classHistory (rows: Array<{ tenant: string, rig: string, beforeUs: number }>, modelVersion: string, source: string, limit: number): Promise<Map<string, number[][]>>
}

export interface PipelineStats {
  windowsIn: number
  batches: number
  predictionsStored: number
  predictionsDuplicate: number
  predictionsProduced: number
  alertsRaised: number
  windowsRejected: number
  /** windows whose result could not be stored or sent (a non-retriable error, e.g. a time PostgreSQL refuses), skipped */
  windowsFailed: number
  retries: number
  queued: number
  inFlight: number
  lastBatchSize: number
  /** time the model (features + session.run, on the JS thread) took for the last batch and at most, ms */
  lastModelMs: number
  maxModelMs: number
  /** shadow candidate: predictions stored (new), batches whose shadow run or store failed (the active path went on) */
  shadowStored: number
  shadowFailed: number
}

interface Inferred { rows: Array<PredictionRow | null>, shadow: ShadowRow[] }

export class InferencePipeline {
  readonly modelVersion: string
  private queue: ClosedWindow[] = []
  private timer: NodeJS.Timeout | null = null
  private inferTail: Promise<void> = Promise.resolve()
  private persistTail: Promise<void> = Promise.resolve()
  private inFlight = 0
  private closing = false
  private readonly maxBatch: number
  private readonly maxWaitMs: number
  private readonly rule: DegradedRule | null
  private readonly log: Logger
  private s = { windowsIn: 0, batches: 0, predictionsStored: 0, predictionsDuplicate: 0, predictionsProduced: 0, alertsRaised: 0, windowsRejected: 0, windowsFailed: 0, retries: 0, lastBatchSize: 0, lastModelMs: 0, maxModelMs: 0, shadowStored: 0, shadowFailed: 0 }
  private readonly idleWaiters: Array<() => void> = []

  constructor (private readonly o: PipelineOptions) {
    this.maxBatch = o.maxBatch ?? 256
    this.maxWaitMs = o.maxWaitMs ?? 50
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new Error(`maxBatch must be an integer >= 1, got ${this.maxBatch}`)
    if (!(this.maxWaitMs >= 0)) throw new Error(`maxWaitMs must be >= 0, got ${this.maxWaitMs}`)
    this.modelVersion = o.runtime.manifest.version
    const k = o.alertCycles ?? 3
    this.rule = k > 0 ? new DegradedRule({ targets: o.runtime.manifest.targets, cycles: k }) : null
    this.log = o.log
  }

  /** Windows queued or in a batch not yet durable: the caller's backpressure signal. */
  get pending (): number { return this.queue.length + this.inFlight }

  push (w: ClosedWindow): void {
    if (this.closing) { w.hold?.release(); return }
    this.s.windowsIn++
    this.queue.push(w)
    if (this.queue.length >= this.maxBatch) this.flush()
    else if (!this.timer) this.timer = setTimeout(() => { this.timer = null; this.flush() }, this.maxWaitMs)
  }

  /** Sends what is queued now, without waiting for the batch to fill. */
  flush (): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch)
      this.inFlight += batch.length
      const inferred = this.inferTail.then(() => this.infer(batch))
      this.inferTail = inferred.then(() => {}, () => {})
      this.persistTail = this.persistTail.then(async () => {
        const result = await inferred
        await this.persistIsolating(batch, result)
      }).catch(err => {
        // only a bug gets here (persist retries what is retriable): the holds stay, nothing is committed
        this.log.error({ err }, 'batch failed; its windows stay uncommitted and are redelivered after a restart')
      }).finally(() => {
        this.inFlight -= batch.length
        // wake every waiter after each batch: drain() and waitBelow() re-check their own condition
        for (const w of this.idleWaiters.splice(0)) w()
      })
    }
  }

  /** Resolves once fewer than `n` windows are queued or in flight (a feeder's backpressure wait). */
  async waitBelow (n: number): Promise<void> {
    while (this.pending >= n) await new Promise<void>(resolve => this.idleWaiters.push(resolve))
  }

  /** Resolves when nothing is queued or in flight (flushes first). */
  async drain (): Promise<void> {
    this.flush()
    while (this.pending > 0) await new Promise<void>(resolve => this.idleWaiters.push(resolve))
  }

  /** Stops taking windows; what is in flight finishes. */
  async close (): Promise<void> {
    await this.drain()
    this.closing = true
  }

  forget (keep: (tenant: string, rig: string) => boolean): void {
    this.rule?.forget(keep)
  }

  stats (): PipelineStats {
    return { ...this.s, queued: this.queue.length, inFlight: this.inFlight }
  }

  private async infer (batch: ClosedWindow[]): Promise<Inferred> {
    this.s.batches++
    this.s.lastBatchSize = batch.length
    this.log.debug({ size: batch.length }, 'batch started')
    let heads: Array<HeadOutput[] | null>
    const t0 = performance.now()
    try {
      heads = await this.o.runtime.predictBatch(batch.map(w => w.window))
    } catch (err) {
      if (!(err instanceof RigstreamError && err.code === 'RS_ERR_MODEL_INPUT')) throw err
      // one window does not fit: run them one by one and reject only the bad ones
      heads = []
      for (const w of batch) {
        try { heads.push(await this.o.runtime.predict(w.window)) } catch (e) {
          if (!(e instanceof RigstreamError && e.code === 'RS_ERR_MODEL_INPUT')) throw e
          this.s.windowsRejected++
          this.log.warn({ tenant: w.tenant, rig: w.rig, windowStartUs: w.windowStartUs, err: e.message, code: e.code }, 'window rejected by the model')
          heads.push(null)
        }
      }
    }
    const t1 = performance.now()
    this.s.lastModelMs = Math.round((t1 - t0) * 100) / 100
    if (this.s.lastModelMs > this.s.maxModelMs) this.s.maxModelMs = this.s.lastModelMs
    const producedUs = Math.round((performance.timeOrigin + t1) * 1000)
    const shadow = await this.inferShadow(batch)
    const rows = batch.map((w, i) => {
      const h = heads[i]
      if (!h) return null
      return {
        tenant: w.tenant,
        rig: w.rig,
        windowStartUs: w.windowStartUs,
        windowEndUs: w.windowEndUs,
        modelVersion: this.modelVersion,
        source: 'cloud' as const,
        firstSeq: w.firstSeq,
        lastSeq: w.lastSeq,
        heads: h.map(x => ({ target: x.target, classIndex: x.classIndex, value: x.value, label: x.label, probs: x.probs })),
        producedUs
      }
    })
    return { rows, shadow }
  }

  /** The candidate on the same windows. Never throws: a failure is logged and counted, the active path goes on. */
  private async inferShadow (batch: ClosedWindow[]): Promise<ShadowRow[]> {
    const sh = this.o.shadow
    if (!sh) return []
    const m = sh.runtime.manifest
    try {
      const heads = await sh.runtime.predictBatch(batch.map(w => w.window))
      const producedUs = Math.round((performance.timeOrigin + performance.now()) * 1000)
      return batch.map((w, i) => ({
        tenant: w.tenant,
        rig: w.rig,
        windowStartUs: w.windowStartUs,
        windowEndUs: w.windowEndUs,
        modelName: m.name,
        modelVersion: m.version,
        activeVersion: this.modelVersion,
        heads: heads[i]!.map(x => ({ target: x.target, classIndex: x.classIndex, value: x.value, label: x.label, probs: x.probs })),
        labels: sh.labels?.(w) ?? null,
        producedUs
      }))
    } catch (err) {
      this.s.shadowFailed++
      this.log.warn({ err: (err as Error).message, model: m.name, version: m.version, size: batch.length }, 'shadow candidate failed on a batch; the active model\'s results are not affected')
      return []
    }
  }

  /**
   * persist(), and when it fails for good (a non-retriable error: one row PostgreSQL or Kafka
   * refuses), the batch again window by window, so that only the window at fault is skipped
   * (logged, counted, its hold released) and the others are stored and their offsets move on.
   */
  private async persistIsolating (batch: ClosedWindow[], result: Inferred): Promise<void> {
    try {
      await this.persist(batch, result)
    } catch (err) {
      if (batch.length === 1) {
        const w = batch[0]!
        this.s.windowsFailed++
        this.log.error({ tenant: w.tenant, rig: w.rig, windowStartUs: w.windowStartUs, firstSeq: w.firstSeq, lastSeq: w.lastSeq, err: (err as Error).message, code: (err as { code?: string }).code }, 'window skipped: its prediction could not be stored or sent (not retriable)')
        w.hold?.release()
        return
      }
      this.log.warn({ size: batch.length, err: (err as Error).message, code: (err as { code?: string }).code }, 'batch could not be stored (not retriable); storing its windows one by one')
      for (let i = 0; i < batch.length; i++) {
        const w = batch[i]!
        const shadow = result.shadow.filter(r => r.tenant === w.tenant && r.rig === w.rig && r.windowStartUs === w.windowStartUs)
        await this.persistIsolating([w], { rows: [result.rows[i] ?? null], shadow })
      }
    }
  }

  private async persist (batch: ClosedWindow[], result: Inferred): Promise<void> {
    const rows = result.rows.filter((r): r is PredictionRow => r !== null)
    const inserted = await this.retry('store predictions', () => this.o.store.insertPredictions(rows))
    this.s.predictionsStored += inserted.size
    this.s.predictionsDuplicate += rows.length - inserted.size
    const messages = rows.map(r => Prediction.create({
      tenant: r.tenant,
      rig: r.rig,
      windowStartUs: r.windowStartUs,
      windowEndUs: r.windowEndUs,
      modelVersion: r.modelVersion,
      source: Prediction.Source.CLOUD,
      heads: r.heads.map(h => ({ target: h.target, classIndex: h.classIndex, label: h.label, probs: h.probs })),
      firstSeq: r.firstSeq,
      lastSeq: r.lastSeq,
      producedUs: r.producedUs
    }))
    if (this.o.sink && messages.length > 0) {
      // sent whether new or not: a crash may have come between the insert and this send
      const records = messages.map(m => ({ tenant: m.tenant, rig: m.rig, bytes: Prediction.encode(m).finish(), modelVersion: this.modelVersion }))
      await this.retry('send predictions', () => this.o.sink!.sendPredictions(records))
      this.s.predictionsProduced += records.length
    }
    const at = performance.now()
    for (const m of messages) this.o.bus?.emit('prediction', { tenant: m.tenant, rig: m.rig, prediction: m })
    if (this.rule) await this.alerts(rows)
    // the candidate's rows: stored before the holds go (a redelivery recomputes them too), nothing else
    if (result.shadow.length > 0) {
      try {
        this.s.shadowStored += await this.retry('store shadow predictions', () => this.o.store.insertShadowPredictions(result.shadow))
      } catch (err) {
        this.s.shadowFailed++
        this.log.warn({ err: (err as Error).message }, 'shadow predictions not stored; the active model\'s results are not affected')
      }
    }
    for (const w of batch) w.hold?.release()
    this.o.onDurable?.(batch, at)
    this.log.debug({ size: batch.length, stored: inserted.size }, 'batch stored')
  }

  private async alerts (rows: PredictionRow[]): Promise<void> {
    const rule = this.rule!
    const seeds = rule.needsSeed(rows)
    if (seeds.length > 0 && this.o.store.classHistory) {
      const hist = await this.retry('read prediction history', () => this.o.store.classHistory!(
        seeds.map(r => ({ tenant: r.tenant, rig: r.rig, beforeUs: r.windowStartUs })), this.modelVersion, 'cloud', 8))
      for (const r of seeds) rule.seed(r.tenant, r.rig, r.windowStartUs, hist.get(`${r.tenant}/${r.rig}`) ?? [])
    }
    const raised: AlertRow[] = rule.evaluate(rows)
    if (raised.length === 0) return
    const fresh = await this.retry('store alerts', () => this.o.store.insertAlerts(raised))
    for (const a of raised) {
      if (!fresh.has(a.id)) continue
      this.s.alertsRaised++
      this.log.info({ tenant: a.tenant, rig: a.rig, component: a.component, severity: a.severity, id: a.id }, 'alert raised')
      this.o.bus?.emit('alert', {
        tenant: a.tenant,
        rig: a.rig,
        alert: Alert.create({ id: a.id, tenant: a.tenant, rig: a.rig, timeUs: a.timeUs, severity: Alert.Severity[a.severity], component: a.component, rule: a.rule, message: a.message, raisedOffline: false })
      })
    }
  }

  /** Retries retriable failures (database or Kafka down) until they pass: the holds keep offsets uncommitted meanwhile. */
  private async retry<T> (what: string, fn: () => Promise<T>): Promise<T> {
    let delay = this.o.retryMs ?? 500
    for (;;) {
      try {
        return await fn()
      } catch (err) {
        if ((err as { retriable?: boolean }).retriable !== true) throw err
        this.s.retries++
        this.log.warn({ err: (err as Error).message, code: (err as { code?: string }).code, retryInMs: delay }, `${what} failed; retrying`)
        await new Promise(resolve => setTimeout(resolve, delay))
        delay = Math.min(10_000, delay * 2)
      }
    }
  }
}
