// The fleet grid: one card per rig with its status, a live sparkline and its latest diagnosis.
import { drawSparkline } from './sparkline.js'
import { colorOf, fmtValue, fmtAgo, headSeverity, el } from './format.js'

/** Channels a card plots, in order of preference; the first one the rig sends is drawn. */
export const CARD_CHANNELS = ['PS1', 'TS1']

export class FleetView {
  /** onShown(key): a card scrolled into view (its rig should be redrawn) */
  constructor (root, empty, onSelect, onShown = () => {}) {
    this.root = root
    this.empty = empty
    this.onSelect = onSelect
    this.cards = new Map()
    // with hundreds of rigs only the cards on screen (and a margin) draw their sparkline and texts
    this.visible = new Set()
    this.observer = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(entries => {
        for (const e of entries) {
          const key = e.target.dataset.rig
          if (e.isIntersecting) { this.visible.add(key); onShown(key) } else this.visible.delete(key)
        }
      }, { rootMargin: '300px 0px' })
      : null
  }

  /** Adds cards for new rigs and removes cards of rigs that are gone; keeps list order. */
  sync (rigs) {
    const keys = new Set(rigs.map(r => r.key))
    for (const [key, card] of this.cards) if (!keys.has(key)) { this.observer?.unobserve(card.root); card.root.remove(); this.cards.delete(key); this.visible.delete(key) }
    for (const rig of rigs) if (!this.cards.has(rig.key)) this.cards.set(rig.key, this.build(rig))
    // move only the cards out of place: re-appending all of them (every 5 s, at each refresh) made
    // Chromium lay out the whole grid again and held the page's main thread for a long task
    let at = this.root.firstElementChild
    for (const r of rigs) {
      const node = this.cards.get(r.key).root
      if (node === at) at = at.nextElementSibling
      else this.root.insertBefore(node, at)
    }
    this.empty.hidden = rigs.length > 0
  }

  build (rig) {
    const root = el('article', 'card')
    root.dataset.rig = rig.key
    root.dataset.points = '0'
    root.tabIndex = 0
    const head = el('div', 'card-head')
    const name = el('span', 'name', rig.rig)
    const pill = el('span', 'pill')
    head.append(name, pill)
    const sub = el('div', 'card-sub muted', `${rig.tenant} · ${rig.profile || 'unknown profile'}`)
    const canvas = el('canvas', 'spark')
    const foot = el('div', 'card-foot')
    const ch = el('span', 'ch')
    const val = el('span', 'val')
    const seen = el('span', 'seen muted')
    foot.append(ch, val, seen)
    const diag = el('div', 'card-diag')
    const alerts = el('div', 'card-alerts')
    root.append(head, sub, canvas, foot, diag, alerts)
    const select = () => this.onSelect(rig.key)
    root.addEventListener('click', select)
    root.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select() } })
    if (this.observer) this.observer.observe(root); else this.visible.add(rig.key)
    return { root, pill, canvas, ch, val, seen, diag, alerts }
  }

  /** Redraws one card from the rig model. */
  update (rig, selected) {
    const c = this.cards.get(rig.key)
    if (!c) return
    // with hundreds of rigs every write to an off-screen card still invalidates style: write only changes
    if (c.root.classList.contains('selected') !== selected) c.root.classList.toggle('selected', selected)
    const status = displayStatus(rig)
    if (c.pill.dataset.status !== status) { c.pill.textContent = status; c.pill.dataset.status = status }
    if (!this.visible.has(rig.key)) return // drawn (and data-points set) when it scrolls into view
    setData(c.root, 'points', String(rig.pointsReceived))
    const id = CARD_CHANNELS.find(x => rig.series.has(x))
    const s = id && rig.series.get(id)
    if (s) {
      const spec = rig.profileSpec?.byId.get(id)
      setText(c.ch, id)
      if (c.ch.dataset.color !== id) { c.ch.style.color = colorOf(id); c.ch.dataset.color = id }
      if (c.val.classList.contains('muted')) c.val.classList.remove('muted')
      setText(c.val, `${fmtValue(s.last)} ${spec?.unit ?? ''}`)
      drawSparkline(c.canvas, s, colorOf(id)) // a no-op when neither the series nor the size changed
    } else {
      setText(c.ch, '')
      setText(c.val, 'waiting for data')
      if (!c.val.classList.contains('muted')) c.val.classList.add('muted')
    }
    setText(c.seen, rig.lastSeq ? `seq ${rig.lastSeq} · ${fmtAgo(rig.lastSeenUs)}` : fmtAgo(rig.lastSeenUs))
    renderDiagnosisChip(c.diag, rig)
    let open = 0
    for (const a of rig.alerts.values()) if (a.acknowledgedUs === null || a.acknowledgedUs === undefined) open++
    setData(c.root, 'openAlerts', String(open))
    setText(c.alerts, open ? `${open} open alert${open === 1 ? '' : 's'}` : '')
  }
}

/** live: frames in the last 5 s; else the last state from the rig (online / offline), else idle. */
export function displayStatus (rig) {
  if (rig.status === 'OFFLINE') return 'offline'
  if (rig.lastFrameAt && Date.now() - rig.lastFrameAt < 5000) return 'live'
  if (rig.status === 'ONLINE') return 'online'
  return 'idle'
}

// Writing a text or attribute, even the same one, invalidates style and layout: write only changes
// (the page updates the visible cards several times a second with mostly unchanged texts).
function setText (node, text) {
  if (node.textContent !== text) node.textContent = text
}

function setData (node, key, value) {
  if (node.dataset[key] !== value) node.dataset[key] = value
}

function renderDiagnosisChip (root, rig) {
  const p = rig.prediction
  if (!p) { setText(root, ''); setData(root, 'sev', ''); return }
  const targets = rig.profileSpec?.targets ?? []
  let worst = null
  let sev = 'ok'
  for (const h of p.heads ?? []) {
    const t = targets.find(x => x.name === h.target)
    if (t?.name === 'stable') continue
    const s = headSeverity(h, t)
    if (s === 'crit' || (s === 'warn' && sev === 'ok')) { sev = s; worst = { h, t } }
  }
  setData(root, 'sev', sev)
  setText(root, worst ? `${worst.t?.title ?? worst.h.target}: ${worst.h.label}` : 'all components healthy')
}
