// The alert rule: a component whose predicted class is a degraded one (not the target's healthy
// class) for K consecutive cycles of a rig raises one alert (docs/worker.md, "Alerts").
//
// The rule is a function of the rig's last K+1 predictions only: the K-th window of a streak
// raises, with an id made from the rule, the rig, the component and that window's start. A worker
// that restarts, or redelivered windows, therefore compute the same alert with the same id, and
// the alerts table keeps one row. The history of a rig is kept in memory and seeded from the
// stored predictions when a rig is first seen or its windows go back in time (redelivery).
import type { TargetInfo } from '../types.js'
import type { AlertRow, PredictionRow } from './types.js'

export const RULE_NAME = 'degraded-consecutive'

/** Class indices per target of recent windows of one rig, oldest first, with the newest window start. */
export interface RigHistory { lastStartUs: number, classes: number[][] }

export interface AlertRuleOptions {
  targets: readonly TargetInfo[]
  /** K: consecutive degraded cycles that raise an alert (>= 1) */
  cycles: number
}

export class DegradedRule {
  readonly rule: string
  private readonly history = new Map<string, RigHistory>()
  /** target indices the rule watches: components with a healthy class (not the 'stable' flag) */
  private readonly watched: Array<{ index: number, t: TargetInfo }>

  constructor (private readonly o: AlertRuleOptions) {
    if (!Number.isInteger(o.cycles) || o.cycles < 1) throw new Error(`alert cycles must be an integer >= 1, got ${o.cycles}`)
    this.rule = `${RULE_NAME}-${o.cycles}`
    this.watched = o.targets.map((t, index) => ({ index, t })).filter(x => x.t.name !== 'stable' && x.t.healthy !== undefined)
  }

  /** Rigs (of these rows, in order) whose history must be loaded before `evaluate` can run. */
  needsSeed (rows: readonly PredictionRow[]): PredictionRow[] {
    const first = new Map<string, PredictionRow>()
    for (const r of rows) {
      const key = `${r.tenant}/${r.rig}`
      if (first.has(key)) continue
      const h = this.history.get(key)
      if (!h || r.windowStartUs <= h.lastStartUs) first.set(key, r)
    }
    return [...first.values()]
  }

  /** Sets a rig's history: the classes of up to K windows before `beforeUs`, oldest first. */
  seed (tenant: string, rig: string, beforeUs: number, classes: number[][]): void {
    this.history.set(`${tenant}/${rig}`, { lastStartUs: beforeUs - 1, classes: classes.slice(-this.o.cycles) })
  }

  /** Feeds stored predictions (per rig in window order); returns the alerts they raise. */
  evaluate (rows: readonly PredictionRow[]): AlertRow[] {
    const out: AlertRow[] = []
    const K = this.o.cycles
    for (const r of rows) {
      const key = `${r.tenant}/${r.rig}`
      let h = this.history.get(key)
      if (!h) this.history.set(key, h = { lastStartUs: -Infinity, classes: [] })
      if (r.windowStartUs <= h.lastStartUs) continue // seen already (seed it first to recompute)
      const classes = r.heads.map(x => x.classIndex)
      for (const { index, t } of this.watched) {
        if (classes[index] === t.healthy) continue
        // the K-1 windows before this one degraded too, and the one before them not (or absent)
        let run = 1
        for (let i = h.classes.length - 1; i >= 0 && run < K + 1; i--) {
          if (h.classes[i]![index] === t.healthy) break
          run++
        }
        if (run !== K) continue
        const label = t.labels[classes[index]!] ?? String(classes[index])
        out.push({
          id: `${this.rule}/${r.tenant}/${r.rig}/${t.name}/${r.windowStartUs}`,
          tenant: r.tenant,
          rig: r.rig,
          timeUs: r.windowEndUs,
          severity: worst(t, classes[index]!),
          component: t.name,
          rule: this.rule,
          message: `${t.title ?? t.name}: ${label} for ${K} consecutive cycles`,
          source: r.source
        })
      }
      h.classes.push(classes)
      if (h.classes.length > K) h.classes.shift()
      h.lastStartUs = r.windowStartUs
    }
    return out
  }

  forget (keep: (tenant: string, rig: string) => boolean): void {
    for (const key of [...this.history.keys()]) {
      const [tenant, rig] = key.split('/') as [string, string]
      if (!keep(tenant, rig)) this.history.delete(key)
    }
  }
}

/** CRITICAL for the class farthest from the healthy one, WARNING otherwise. */
function worst (t: TargetInfo, cls: number): 'WARNING' | 'CRITICAL' {
  const healthy = t.healthy ?? 0
  const far = Math.abs(cls - healthy) === Math.max(healthy, t.values.length - 1 - healthy)
  return far ? 'CRITICAL' : 'WARNING'
}
