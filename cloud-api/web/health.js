// Component health over time for the rig page: the rig's diagnoses (edge and cloud) from
// GET /api/v1/rigs/:tenant/:rig/predictions, extended live by the WebSocket's prediction messages,
// drawn with uPlot as the probability that each component (cooler, valve, pump, accumulator,
// stable) is NOT in its healthy class. Cloud diagnoses are solid lines, edge ones dashed.
import uPlot from 'uplot'
import { el } from './format.js'

/** Diagnoses kept per rig (at the worker's 60 s cycle: the last 8 hours). */
export const HEALTH_KEEP = 500
export const COMPONENT_COLORS = { cooler: '#4cc2ff', valve: '#f5a524', pump: '#f472b6', accumulator: '#a78bfa', stable: '#94a3b8' }
const FALLBACK = ['#34d399', '#fb7185', '#22d3ee', '#facc15']
const SOURCES = ['cloud', 'edge']
const DASH = { cloud: undefined, edge: [5, 4] }
const AXIS = { stroke: '#8b96a8', font: '11px Inter, system-ui, sans-serif', grid: { stroke: 'rgba(148,163,184,0.10)', width: 1 }, ticks: { stroke: 'rgba(148,163,184,0.18)', width: 1, size: 4 } }

export function colorOfComponent (name, i = 0) {
  return COMPONENT_COLORS[name] ?? FALLBACK[i % FALLBACK.length]
}

/**
 * How far from healthy one head is, 0..1: 1 - p(healthy class) when the head has probabilities,
 * else the class's distance from the healthy class over the largest distance.
 */
export function degradation (head, target) {
  const healthy = target?.healthy ?? 0
  const probs = head.probs ?? []
  if (probs.length > healthy && probs.every(Number.isFinite)) return Math.min(1, Math.max(0, 1 - probs[healthy]))
  const n = target?.values?.length ?? Math.max(2, head.classIndex + 1)
  const far = Math.max(healthy, n - 1 - healthy) || 1
  return Math.min(1, Math.abs(head.classIndex - healthy) / far)
}

/** One rig's diagnoses, deduplicated (a prediction may come by REST and again on the socket). */
export class HealthHistory {
  constructor (keep = HEALTH_KEEP) {
    this.keep = keep
    this.byKey = new Map()
    this.sorted = null
    this.version = 0
    this.fromRest = 0
  }

  /** The list GET .../predictions answered; fromRest counts its distinct diagnoses (some may have come on the socket first). */
  addRest (list) {
    const before = this.byKey.size
    const keys = new Set()
    for (const p of list) {
      keys.add(`${String(p.source).toLowerCase()}|${Number(p.windowStartUs)}|${p.modelVersion ?? ''}`)
      this.add(p)
    }
    this.fromRest = keys.size
    if (this.byKey.size === before) this.version++ // redraw: the count changed even if nothing new came
  }

  /** p: a prediction from REST (source 'cloud'|'edge') or the socket (source 'CLOUD'|'EDGE'). Returns true when new. */
  add (p) {
    const timeUs = Number(p.windowStartUs)
    if (!Number.isFinite(timeUs) || !Array.isArray(p.heads)) return false
    const source = String(p.source).toLowerCase() === 'edge' ? 'edge' : 'cloud'
    const key = `${source}|${timeUs}|${p.modelVersion ?? ''}` // as addRest counts
    if (this.byKey.has(key)) return false
    this.byKey.set(key, { timeUs, source, modelVersion: p.modelVersion ?? '', heads: p.heads })
    if (this.byKey.size > this.keep) {
      let oldest = null
      for (const [k, v] of this.byKey) if (!oldest || v.timeUs < oldest[1].timeUs) oldest = [k, v]
      this.byKey.delete(oldest[0])
    }
    this.sorted = null
    this.version++
    return true
  }

  /** Oldest first. */
  list () {
    if (!this.sorted) this.sorted = [...this.byKey.values()].sort((a, b) => a.timeUs - b.timeUs || a.source.localeCompare(b.source))
    return this.sorted
  }

  get size () { return this.byKey.size }

  sources () {
    const s = new Set()
    for (const p of this.byKey.values()) s.add(p.source)
    return SOURCES.filter(x => s.has(x))
  }
}

/** The chart: one series per (component, source) that has data; x is the diagnosed window's start. */
export class HealthChart {
  constructor (root) {
    this.root = root
    this.root.textContent = ''
    const head = el('div', 'health-head')
    head.append(el('h3', null, 'Component health'), el('span', 'muted small', 'probability of a degraded class per diagnosis'))
    this.legend = el('div', 'health-legend')
    this.body = el('div', 'health-body')
    this.empty = el('div', 'health-empty muted', 'No diagnosis of this rig yet. They appear here as the models diagnose its load cycles.')
    this.root.append(head, this.legend, this.body, this.empty)
    this.plot = null
    this.layout = ''
    this.drawn = -1
    this.history = null
  }

  /** Redraws when the history changed (or another rig's history is shown). */
  update (history, targets) {
    const list = history.list()
    if (this.history === history && this.drawn === history.version && this.plot) return
    this.history = history
    this.drawn = history.version
    this.root.dataset.points = String(list.length)
    this.root.dataset.sources = history.sources().join(',')
    this.root.dataset.rest = String(history.fromRest)
    this.empty.hidden = list.length > 0
    this.body.hidden = list.length === 0
    if (list.length === 0) return
    const names = targets.length ? targets.map(t => t.name) : [...new Set(list.flatMap(p => p.heads.map(h => h.target)))]
    const byName = new Map(targets.map(t => [t.name, t]))
    const sources = history.sources()
    const series = []
    // drawn last is on top: the first component of the profile (cooler) over the stable flag, which
    // lines that coincide (all healthy, at 0 %) would otherwise hide under the last one
    for (const src of sources) names.forEach((n, i) => series.unshift({ name: n, src, color: colorOfComponent(n, i) }))
    const layout = series.map(s => `${s.name}/${s.src}`).join(',')
    // x: the distinct window starts (s); each series has its value there or null
    const xs = [...new Set(list.map(p => p.timeUs))]
    const at = new Map(xs.map((x, i) => [x, i]))
    const data = [xs.map(x => x / 1e6), ...series.map(() => new Array(xs.length).fill(null))]
    for (const p of list) {
      const i = at.get(p.timeUs)
      for (const h of p.heads) {
        const k = series.findIndex(s => s.name === h.target && s.src === p.source)
        if (k >= 0) data[k + 1][i] = Math.round(degradation(h, byName.get(h.target)) * 1000) / 10
      }
    }
    if (layout !== this.layout || !this.plot) {
      this.plot?.destroy()
      this.layout = layout
      this.plot = new uPlot({
        width: Math.max(200, this.body.clientWidth || this.root.clientWidth - 24),
        height: 180,
        legend: { show: false },
        cursor: { drag: { x: true, y: false }, points: { size: 6 } },
        scales: { x: { time: true }, y: { range: [0, 100] } },
        series: [{}, ...series.map(s => ({ label: `${s.name} (${s.src})`, stroke: s.color, width: s.src === 'edge' ? 1.25 : 1.75, dash: DASH[s.src], spanGaps: true, points: { show: true, size: 4, fill: s.color } }))],
        axes: [{ ...AXIS }, { ...AXIS, size: 44, values: (_u, v) => v.map(x => `${x} %`), splits: () => [0, 25, 50, 75, 100] }]
      }, data, this.body)
      this.renderLegend(names, byName, sources)
    } else {
      this.plot.setData(data)
    }
  }

  renderLegend (names, byName, sources) {
    this.legend.textContent = ''
    names.forEach((n, i) => {
      const item = el('span', 'health-key')
      const sw = el('span', 'swatch')
      sw.style.background = colorOfComponent(n, i)
      item.append(sw, el('span', null, byName.get(n)?.title ?? n))
      this.legend.appendChild(item)
    })
    const src = el('span', 'health-src muted small')
    src.textContent = sources.map(s => s === 'cloud' ? '── cloud' : '╌╌ edge').join('   ')
    this.legend.appendChild(src)
  }

  resize () {
    if (!this.plot) return
    const w = this.body.clientWidth
    if (w > 0 && Math.abs(w - this.plot.width) > 1) this.plot.setSize({ width: w, height: 180 })
  }

  clear () {
    this.plot?.destroy()
    this.plot = null
    this.layout = ''
    this.history = null
    this.drawn = -1
    this.body.textContent = ''
  }
}
