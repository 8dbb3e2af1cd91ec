// Component health over time for the rig page: the rig's diagnoses (edge and cloud) from
// GET /api/v1/rigs/:tenant/:rig/predictions, extended live by the WebSocket's prediction messages,
// drawn with uPlot as the probability that each component (cooler, valve, pump, accumulator,
// stable) is NOT in its healthy class, a lane per component. Cloud diagnoses are solid lines with
// filled points, edge ones dashed with hollow points.
import uPlot from 'uplot'
import { el } from './format.js'

/** Diagnoses kept per rig (at the worker's 60 s cycle: the last 8 hours). */
export const HEALTH_KEEP = 500
export const COMPONENT_COLORS = { cooler: '#4cc2ff', valve: '#f5a524', pump: '#f472b6', accumulator: '#a78bfa', stable: '#94a3b8' }
const FALLBACK = ['#34d399', '#fb7185', '#22d3ee', '#facc15']
const SOURCES = ['cloud', 'edge']
const DASH = { cloud: undefined, edge: [5, 4] }
const LANE_H = 54
const X_AXIS_H = 30
const LABEL_W = 170
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

/**
 * The chart: one lane per component (cooler, valve, pump, accumulator, stable), one uPlot each on a
 * shared time axis with a synced cursor, so that components at the same level never hide each
 * other; in a lane, cloud diagnoses are a solid line with filled points, edge ones dashed with
 * hollow points. x is the diagnosed window's start; y the probability of a degraded class, 0-100 %.
 */
export class HealthChart {
  constructor (root) {
    this.root = root
    this.root.textContent = ''
    const head = el('div', 'health-head')
    this.src = el('span', 'health-src muted small')
    head.append(el('h3', null, 'Component health'), el('span', 'muted small', 'probability of a degraded class per diagnosis'), this.src)
    this.body = el('div', 'health-body')
    this.empty = el('div', 'health-empty muted', 'No diagnosis of this rig yet. They appear here as the models diagnose its load cycles.')
    this.root.append(head, this.body, this.empty)
    this.lanes = [] // { name, root, plot, now, body, last }
    this.layout = ''
    this.drawn = -1
    this.history = null
  }

  get plot () { return this.lanes[0]?.plot ?? null }

  /** Redraws when the history changed (or another rig's history is shown). */
  update (history, targets) {
    const list = history.list()
    if (this.history === history && this.drawn === history.version && this.lanes.length) return
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
    const layout = names.join(',') + '|' + sources.join(',')
    // x: the distinct window starts (s); each lane has a series per source, its value there or null
    const xs = [...new Set(list.map(p => p.timeUs))]
    const at = new Map(xs.map((x, i) => [x, i]))
    const data = new Map(names.map(n => [n, [xs.map(x => x / 1e6), ...sources.map(() => new Array(xs.length).fill(null))]]))
    const latest = new Map()
    for (const p of list) {
      const i = at.get(p.timeUs)
      for (const h of p.heads) {
        const d = data.get(h.target)
        if (!d) continue
        d[sources.indexOf(p.source) + 1][i] = Math.round(degradation(h, byName.get(h.target)) * 1000) / 10
        latest.set(h.target, h)
      }
    }
    if (layout !== this.layout || this.lanes.length === 0) this.build(names, byName, sources, layout)
    const range = xs.length > 1 ? [xs[0] / 1e6, xs[xs.length - 1] / 1e6] : [xs[0] / 1e6 - 60, xs[0] / 1e6 + 60]
    for (const lane of this.lanes) {
      lane.plot.batch(() => {
        lane.plot.setData(data.get(lane.name), false)
        lane.plot.setScale('x', { min: range[0], max: range[1] })
      })
      const h = latest.get(lane.name)
      lane.now.textContent = h ? h.label : ''
      lane.root.dataset.latest = h ? String(degradation(h, byName.get(lane.name))) : ''
    }
  }

  build (names, byName, sources, layout) {
    this.clear()
    this.layout = layout
    this.src.textContent = sources.map(s => s === 'cloud' ? '─●─ cloud' : '╌○╌ edge').join('   ')
    const width = Math.max(200, this.body.clientWidth || this.root.clientWidth - 24) - LABEL_W
    names.forEach((name, i) => {
      const last = i === names.length - 1
      const color = colorOfComponent(name, i)
      const root = el('div', 'health-lane')
      root.dataset.component = name
      const label = el('div', 'health-label')
      const title = el('span', 'health-title', byName.get(name)?.title ?? name)
      title.style.color = color
      const now = el('span', 'health-now muted')
      label.append(title, now)
      const body = el('div', 'health-plot')
      root.append(label, body)
      this.body.appendChild(root)
      const plot = new uPlot({
        width,
        height: LANE_H + (last ? X_AXIS_H : 0),
        legend: { show: false },
        padding: [8, 12, 6, 0],
        cursor: { sync: { key: 'rs-health' }, drag: { x: false, y: false }, points: { size: 6 } },
        scales: { x: { time: true, auto: false }, y: { range: [0, 100] } },
        series: [{}, ...sources.map(src => ({ label: `${name} (${src})`, stroke: color, width: src === 'edge' ? 1.25 : 1.75, dash: DASH[src], spanGaps: true, fill: src === 'cloud' ? color + '18' : undefined, points: { show: true, size: src === 'edge' ? 6 : 4, width: 1.5, stroke: color, fill: src === 'edge' ? '#0b0f17' : color } }))],
        axes: [
          { ...AXIS, show: last, size: X_AXIS_H },
          { ...AXIS, size: 44, values: (_u, v) => v.map(x => `${x} %`), splits: () => [0, 100] }
        ]
      }, [[], ...sources.map(() => [])], body)
      this.lanes.push({ name, root, plot, now, body })
    })
  }

  resize () {
    const w = (this.body.clientWidth || 0) - LABEL_W
    if (w <= 0) return
    for (const lane of this.lanes) if (Math.abs(w - lane.plot.width) > 1) lane.plot.setSize({ width: w, height: lane.plot.height })
  }

  clear () {
    for (const lane of this.lanes) lane.plot.destroy()
    this.lanes = []
    this.layout = ''
    this.history = null
    this.drawn = -1
    this.body.textContent = ''
  }
}
