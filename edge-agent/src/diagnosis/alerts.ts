// Alert rules over the model's per-cycle diagnosis. A component alert is raised when a component's
// diagnosed class leaves its healthy class (rule `condition-degraded`) or returns to it
// (`condition-recovered`), once the new class has held for `confirmCycles` consecutive cycles
// with at least `minProbability`: one alert per change of state, not one per cycle.
import { randomUUID } from 'node:crypto'
import { Alert, rigstream } from '../../../schemas/src/index.js'
import type { HeadOutput, TargetInfo } from '../../../inference/src/types.js'

export interface AlertRuleOptions {
  /** consecutive cycles a new class must hold before it is reported; default 2 */
  confirmCycles?: number
  /** least probability of the diagnosed class for a cycle to count; default 0.6 */
  minProbability?: number
}

export interface RaisedAlert {
  id: string
  severity: rigstream.v1.Alert.Severity
  component: string
  rule: 'condition-degraded' | 'condition-recovered'
  message: string
}

interface ComponentState {
  target: TargetInfo
  /** class last reported (starts at healthy: nothing to report while healthy) */
  reported: number
  candidate: number
  streak: number
}

export class AlertRules {
  private readonly confirm: number
  private readonly minProb: number
  private states = new Map<string, ComponentState>()

  constructor (targets: readonly TargetInfo[], opts: AlertRuleOptions = {}) {
    this.confirm = opts.confirmCycles ?? 2
    this.minProb = opts.minProbability ?? 0.6
    this.setTargets(targets)
  }

  /** Components are the targets with a healthy class (the UCI `stable` flag has none: not a component). */
  setTargets (targets: readonly TargetInfo[]): void {
    const next = new Map<string, ComponentState>()
    for (const t of targets) {
      if (t.healthy === undefined || t.name === 'stable') continue
      // a model swap keeps what was reported for a component the new model also diagnoses
      const old = this.states.get(t.name)
      const reported = old !== undefined && old.target.values.join() === t.values.join() ? old.reported : t.healthy
      next.set(t.name, { target: t, reported, candidate: reported, streak: 0 })
    }
    this.states = next
  }

  evaluate (heads: readonly HeadOutput[]): RaisedAlert[] {
    const out: RaisedAlert[] = []
    for (const h of heads) {
      const s = this.states.get(h.target)
      if (s === undefined) continue
      const p = h.probs[h.classIndex] ?? 0
      if (p < this.minProb) continue
      if (h.classIndex === s.reported) {
        s.candidate = s.reported
        s.streak = 0
        continue
      }
      if (h.classIndex === s.candidate) s.streak++
      else { s.candidate = h.classIndex; s.streak = 1 }
      if (s.streak < this.confirm) continue
      const from = s.reported
      s.reported = s.candidate
      s.streak = 0
      out.push(this.alertFor(s.target, from, s.reported))
    }
    return out
  }

  private alertFor (t: TargetInfo, from: number, to: number): RaisedAlert {
    const healthy = t.healthy!
    const title = t.title ?? t.name
    if (to === healthy) {
      return { id: randomUUID(), severity: Alert.Severity.INFO, component: t.name, rule: 'condition-recovered', message: `${title}: back to ${t.labels[to]} (${t.values[to]}), was ${t.labels[from]} (${t.values[from]})` }
    }
    // the class farthest from healthy is critical (e.g. "close to total failure"), the others a warning
    const worst = Math.max(healthy, t.values.length - 1 - healthy)
    const severity = Math.abs(to - healthy) >= worst ? Alert.Severity.CRITICAL : Alert.Severity.WARNING
    return { id: randomUUID(), severity, component: t.name, rule: 'condition-degraded', message: `${title}: ${t.labels[to]} (${t.values[to]})` }
  }
}
