// The selected rig: live uPlot charts of chosen channels, its diagnosis, its component health over
// time (health.js) and its alerts.
import uPlot from 'uplot'
import { colorOf, fmtValue, fmtAgo, headSeverity, el } from './format.js'
import { HealthChart } from './health.js'

/** Charted by default when the rig sends them; otherwise its first channels in profile order. */
const PREFERRED = ['PS1', 'EPS1', 'FS1', 'TS1']
const DEFAULT_CHARTS = 4
const AXIS = { stroke: '#8b96a8', font: '11px Inter, system-ui, sans-serif', grid: { stroke: 'rgba(148,163,184,0.10)', width: 1 }, ticks: { stroke: 'rgba(148,163,184,0.18)', width: 1, size: 4 } }

export class RigView {
  /** actions: { canAck () -> boolean, ack (rig, alertId) -> Promise } */
  constructor (els, actions = { canAck: () => false, ack: async () => {} }) {
    this.els = els // { section, title, meta, charts, health, diagnosis, alerts, alertList }
    this.actions = actions
    this.ackErrors = new Map() // alert id -> message of a failed acknowledgement
    this.pending = new Set() // alert ids being acknowledged
    this.rig = null
    this.charts = new Map() // channel -> { root, plot, value, series }
    this.chosen = null // channels picked by the user, or null for the default choice
    this.chips = null
    this.health = new HealthChart(els.health)
    const ro = new ResizeObserver(() => this.resize())
    ro.observe(els.charts)
    ro.observe(els.health)
  }

  show (rig) {
    if (this.rig === rig) return
    this.rig = rig
    this.chosen = null
    for (const c of this.charts.values()) { c.plot.destroy(); c.root.remove() }
    this.charts.clear()
    this.els.charts.textContent = ''
    this.health.clear()
    this.chips = el('div', 'chips')
    this.els.charts.appendChild(this.chips)
    this.els.section.hidden = !rig
    if (!rig) return
    this.els.title.textContent = rig.rig
    this.els.section.dataset.rig = rig.key
    this.update()
  }

  /** Channels to chart: the user's pick, else the preferred ones the rig has, topped up in profile order. */
  wanted () {
    const have = [...this.rig.series.keys()]
    if (this.chosen) return this.chosen.filter(id => have.includes(id))
    return this.wantedOf(this.rig, have)
  }

  /** The default choice among channels `have` of rig `m`. */
  wantedOf (m, have) {
    const order = m.profileSpec ? m.profileSpec.channels.map(c => c.id).filter(id => have.includes(id)) : have
    const pick = PREFERRED.filter(id => have.includes(id))
    for (const id of order) if (pick.length < DEFAULT_CHARTS && !pick.includes(id)) pick.push(id)
    return pick
  }

  update () {
    const rig = this.rig
    if (!rig) return
    this.els.meta.textContent = `${rig.tenant} · ${rig.profile || 'unknown profile'} · ${rig.lastSeq ? `seq ${rig.lastSeq} · ` : ''}${fmtAgo(rig.lastSeenUs)}`
    this.renderChips()
    this.els.section.classList.toggle('waiting', rig.series.size === 0)
    const wanted = this.wanted()
    for (const [id, c] of this.charts) if (!wanted.includes(id)) { c.plot.destroy(); c.root.remove(); this.charts.delete(id) }
    for (const id of wanted) {
      let c = this.charts.get(id)
      if (!c) { c = this.makeChart(id); this.charts.set(id, c) }
      const s = rig.series.get(id)
      c.plot.setData([s.t, s.v])
      c.value.textContent = fmtValue(s.last)
      c.root.dataset.points = String(s.received)
    }
    this.renderDiagnosis()
    if (rig.health) this.health.update(rig.health, rig.profileSpec?.targets ?? [])
    this.renderAlerts()
  }

  renderChips () {
    const have = this.rig.profileSpec ? this.rig.profileSpec.channels.map(c => c.id).filter(id => this.rig.series.has(id)) : [...this.rig.series.keys()]
    const key = have.join(',') + '|' + this.wanted().join(',')
    if (this.chips.dataset.key === key) return
    this.chips.dataset.key = key
    this.chips.textContent = ''
    const wanted = this.wanted()
    for (const id of have) {
      const b = el('button', 'chip', id)
      b.type = 'button'
      b.setAttribute('aria-pressed', String(wanted.includes(id)))
      b.style.setProperty('--c', colorOf(id))
      b.onclick = () => {
        const cur = this.wanted()
        this.chosen = cur.includes(id) ? cur.filter(x => x !== id) : [...cur, id]
        this.update()
      }
      this.chips.appendChild(b)
    }
  }

  makeChart (id) {
    const spec = this.rig.profileSpec?.byId.get(id)
    const root = el('div', 'chart')
    root.dataset.channel = id
    const head = el('div', 'chart-head')
    const name = el('span', 'chart-name', id)
    name.style.color = colorOf(id)
    const what = el('span', 'muted', spec ? `${spec.quantity} · ${spec.rateHz} Hz` : '')
    const value = el('span', 'chart-value', '–')
    const unit = el('span', 'chart-unit muted', spec?.unit ?? '')
    const right = el('span', 'chart-right')
    right.append(value, unit)
    head.append(name, what, right)
    const body = el('div', 'chart-body')
    root.append(head, body)
    this.els.charts.appendChild(root)
    const color = colorOf(id)
    const plot = new uPlot({
      width: Math.max(200, body.clientWidth || this.els.charts.clientWidth - 32),
      height: 150,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: { x: { time: true } },
      series: [{}, { label: id, stroke: color, width: 1.5, fill: color + '1f', points: { show: false } }],
      axes: [{ ...AXIS }, { ...AXIS, size: 52 }]
    }, [[], []], body)
    return { root, plot, value, body }
  }

  resize () {
    this.health.resize()
    for (const c of this.charts.values()) {
      const w = c.body.clientWidth
      if (w > 0 && Math.abs(w - c.plot.width) > 1) c.plot.setSize({ width: w, height: 150 })
    }
  }

  renderDiagnosis () {
    const root = this.els.diagnosis
    const p = this.rig.prediction
    root.textContent = ''
    if (!p) { root.appendChild(el('span', 'muted', 'no diagnosis yet')); return }
    const targets = this.rig.profileSpec?.targets ?? []
    for (const h of p.heads ?? []) {
      const t = targets.find(x => x.name === h.target)
      const chip = el('div', 'head')
      chip.dataset.sev = headSeverity(h, t)
      chip.append(el('span', 'head-title', t?.title ?? h.target), el('span', 'head-label', h.label))
      root.appendChild(chip)
    }
    root.appendChild(el('div', 'muted small', `model ${p.modelVersion || '?'} · ${String(p.source).toLowerCase()}`))
  }

  /** Newest first; rebuilt only when the list or an acknowledgement changes (buttons stay put). */
  renderAlerts () {
    const alerts = [...this.rig.alerts.values()].sort((a, b) => b.timeUs - a.timeUs).slice(0, 20)
    const canAck = this.actions.canAck()
    const key = this.rig.key + '|' + canAck + '|' + alerts.map(a => `${a.id}:${a.acknowledgedUs ?? ''}:${this.pending.has(a.id)}:${this.ackErrors.get(a.id) ?? ''}`).join(',')
    if (this.els.alertList.dataset.key === key) return
    this.els.alertList.dataset.key = key
    this.els.alerts.hidden = alerts.length === 0
    this.els.alertList.textContent = ''
    const rig = this.rig
    for (const a of alerts) {
      const li = el('li')
      li.dataset.sev = String(a.severity).toLowerCase()
      li.dataset.id = a.id
      li.dataset.component = a.component ?? ''
      const acked = a.acknowledgedUs !== null && a.acknowledgedUs !== undefined
      li.dataset.acked = String(acked)
      li.append(el('span', 'alert-time muted', new Date(a.timeUs / 1000).toLocaleTimeString()), el('span', 'alert-msg', a.message || a.rule))
      if (acked) {
        li.append(el('span', 'alert-ack muted', `acknowledged by ${a.acknowledgedBy ?? '?'} · ${new Date(a.acknowledgedUs / 1000).toLocaleTimeString()}`))
      } else if (canAck) {
        const err = this.ackErrors.get(a.id)
        if (err) li.append(el('span', 'alert-ack login-error', err))
        const b = el('button', 'ack', 'Acknowledge')
        b.type = 'button'
        b.disabled = this.pending.has(a.id)
        b.onclick = () => {
          this.pending.add(a.id)
          this.ackErrors.delete(a.id)
          this.renderAlerts()
          this.actions.ack(rig, a.id)
            .catch(e => this.ackErrors.set(a.id, e.message))
            .finally(() => { this.pending.delete(a.id); if (this.rig === rig) this.renderAlerts() })
        }
        li.append(b)
      } else {
        li.append(el('span', 'alert-ack muted', 'open'))
      }
      this.els.alertList.appendChild(li)
    }
  }
}
