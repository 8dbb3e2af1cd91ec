// Local diagnosis: every completed load cycle goes through the active model; the prediction and
// any alert it raises are stored in the durable outbox and published on
// rs/v1/{tenant}/{rig}/predictions and .../alerts. Works the same offline: alerts raised while
// the broker is unreachable carry raised_offline and are delivered on reconnect.
import { Alert, Prediction, rigTopic } from '../../../schemas/src/index.js'
import type { Logger } from '../../../common/src/logger.js'
import type { HeadOutput } from '../../../inference/src/types.js'
import type { ModelManager } from '../model-update/manager.js'
import type { SourceWindow } from '../sources/types.js'
import { CycleAssembler, type AssembledCycle } from './cycle-window.js'
import { AlertRules, type AlertRuleOptions } from './alerts.js'
import type { Outbox } from './outbox.js'

export interface DiagnosisOptions {
  tenant: string
  rig: string
  models: ModelManager
  outbox: Outbox
  log: Logger
  /** whether the broker connection is up (alerts raised while it is not are flagged raised_offline) */
  online: () => boolean
  alerts?: AlertRuleOptions
  /** agent wall clock, µs */
  nowUs?: () => number
}

export interface DiagnosisStats {
  cycles: number
  discardedCycles: number
  predictions: number
  alerts: number
  alertsOffline: number
  inferenceErrors: number
  /** last inference (features + network), ms */
  lastInferenceMs: number
  lastPrediction: { windowEndUs: number, heads: Array<{ target: string, label: string }> } | null
}

export class Diagnosis {
  private assembler: CycleAssembler
  private readonly rules: AlertRules
  private readonly predTopic: string
  private readonly alertTopic: string
  private queue: Promise<void> = Promise.resolve()
  private pending = 0
  private modelVersion: string
  readonly s: Omit<DiagnosisStats, 'cycles' | 'discardedCycles'> = { predictions: 0, alerts: 0, alertsOffline: 0, inferenceErrors: 0, lastInferenceMs: 0, lastPrediction: null }
  private readonly now: () => number

  constructor (private readonly o: DiagnosisOptions) {
    const m = o.models.runtime().manifest
    this.modelVersion = m.version
    this.assembler = new CycleAssembler(m.channels, m.samplesPerWindow)
    this.rules = new AlertRules(m.targets, o.alerts)
    this.predTopic = rigTopic(o.tenant, o.rig, 'predictions')
    this.alertTopic = rigTopic(o.tenant, o.rig, 'alerts')
    this.now = o.nowUs ?? (() => Date.now() * 1000)
  }

  /** Every frame window, with its seq. Synchronous and cheap; inference runs off this path. */
  onWindow (w: SourceWindow, seq: number): void {
    const cycle = this.assembler.push(w, seq)
    if (cycle === undefined) return
    // cycles are a minute apart; a bound still keeps a stalled model from queueing without end
    if (this.pending >= 4) {
      this.s.inferenceErrors++
      this.o.log.warn({ cycle: cycle.cycle }, 'diagnosis is behind; cycle skipped')
      return
    }
    this.pending++
    this.queue = this.queue.then(() => this.diagnose(cycle)).finally(() => { this.pending-- })
  }

  /** resolves when every queued cycle has been diagnosed and stored */
  async idle (): Promise<void> {
    await this.queue
  }

  stats (): DiagnosisStats {
    return { ...this.s, cycles: this.assembler.stats.cycles, discardedCycles: this.assembler.stats.discarded }
  }

  private async diagnose (c: AssembledCycle): Promise<void> {
    let heads: HeadOutput[]
    let version: string
    try {
      const t0 = performance.now()
      ;[heads, version] = await this.o.models.exclusive(async rt => {
        // a swapped model may read other channels: re-align the assembler at the next cycle
        if (rt.manifest.version !== this.modelVersion) this.onModelChanged()
        return [await rt.predict(c.window), rt.manifest.version] as const
      })
      this.s.lastInferenceMs = performance.now() - t0
    } catch (err) {
      this.s.inferenceErrors++
      this.o.log.warn({ err: (err as Error).message, cycle: c.cycle }, 'diagnosis failed for one cycle')
      return
    }
    const producedUs = this.now()
    const prediction = Prediction.encode({
      tenant: this.o.tenant,
      rig: this.o.rig,
      windowStartUs: c.startUs,
      windowEndUs: c.endUs,
      modelVersion: version,
      source: Prediction.Source.EDGE,
      heads: heads.map(h => ({ target: h.target, classIndex: h.classIndex, label: h.label, probs: h.probs })),
      firstSeq: c.firstSeq,
      lastSeq: c.lastSeq,
      producedUs
    }).finish()
    const offline = !this.o.online()
    const raised = this.rules.evaluate(heads)
    try {
      await this.o.outbox.add(this.predTopic, prediction)
      this.s.predictions++
      this.s.lastPrediction = { windowEndUs: c.endUs, heads: heads.map(h => ({ target: h.target, label: h.label })) }
      for (const a of raised) {
        const bytes = Alert.encode({ id: a.id, tenant: this.o.tenant, rig: this.o.rig, timeUs: producedUs, severity: a.severity, component: a.component, rule: a.rule, message: a.message, raisedOffline: offline }).finish()
        await this.o.outbox.add(this.alertTopic, bytes)
        this.s.alerts++
        if (offline) this.s.alertsOffline++
        this.o.log.warn({ component: a.component, severity: Alert.Severity[a.severity], rule: a.rule, offline }, a.message)
      }
    } catch (err) {
      this.s.inferenceErrors++
      this.o.log.error({ err: (err as Error).message }, 'diagnosis could not store its output')
    }
  }

  private onModelChanged (): void {
    const m = this.o.models.runtime().manifest
    this.modelVersion = m.version
    this.rules.setTargets(m.targets)
    const same = m.channels.join() === this.assembler.channels.join() && m.samplesPerWindow === this.assembler.samples
    if (!same) this.assembler = new CycleAssembler(m.channels, m.samplesPerWindow)
  }
}
