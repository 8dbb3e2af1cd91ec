// The live fleet page: rigs from GET /api/v1/rigs (refreshed), live data from GET /ws.
import { LiveSocket } from './live.js'
import { FleetView, CARD_CHANNELS } from './fleet.js'
import { RigView } from './rig-view.js'
import { Series } from './series.js'
import { loadHistory } from './history.js'

const REFRESH_MS = 5000
const $ = id => document.getElementById(id)

const rigs = new Map() // "tenant/rig" -> rig model
const profiles = new Map() // profile id -> Promise<profile with byId>
let selected = null
let dirty = false

const live = new LiveSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`)
const fleet = new FleetView($('fleet'), $('fleet-empty'), key => select(key))
const view = new RigView({ section: $('detail'), title: $('detail-title'), meta: $('detail-meta'), charts: $('charts'), diagnosis: $('diagnosis'), alerts: $('alerts'), alertList: $('alert-list') })

function loadProfile (id) {
  if (!profiles.has(id)) {
    profiles.set(id, fetch(`/api/v1/profile?id=${encodeURIComponent(id)}`)
      .then(r => r.ok ? r.json() : null)
      .then(p => p && { ...p, byId: new Map(p.channels.map(c => [c.id, c])) })
      .catch(() => null))
  }
  return profiles.get(id)
}

function rigModel (tenant, rig) {
  const key = `${tenant}/${rig}`
  let m = rigs.get(key)
  if (!m) {
    m = { key, tenant, rig, profile: '', lastSeq: 0, lastSeenUs: 0, frames: 0, status: 'UNKNOWN', series: new Map(), pointsReceived: 0, lastFrameAt: 0, prediction: null, alerts: [], profileSpec: null, history: null }
    rigs.set(key, m)
    live.subscribe(tenant, rig, CARD_CHANNELS)
  }
  return m
}

async function refreshRigs () {
  try {
    const r = await fetch('/api/v1/rigs')
    if (!r.ok) throw new Error(`HTTP ${r.status}`)
    const { rigs: list } = await r.json()
    for (const s of list) {
      const m = rigModel(s.tenant, s.rig)
      m.profile = s.profile
      m.frames = s.frames
      if (s.lastSeq > m.lastSeq) { m.lastSeq = s.lastSeq; m.lastSeenUs = s.lastSeenUs }
      if (s.status !== 'UNKNOWN') m.status = s.status
      if (!m.profileSpec && s.profile) loadProfile(s.profile).then(p => { m.profileSpec = p; markDirty() })
    }
    const sorted = [...rigs.values()].sort((a, b) => a.key.localeCompare(b.key))
    fleet.sync(sorted)
    $('fleet-count').textContent = `${sorted.length} rig${sorted.length === 1 ? '' : 's'}`
    if (!selected && sorted.length > 0) select(sorted[0].key)
    markDirty()
  } catch (err) {
    console.warn('rigs refresh failed', err)
  }
}

function select (key) {
  if (selected === key) return
  const prev = selected && rigs.get(selected)
  if (prev) live.subscribe(prev.tenant, prev.rig, CARD_CHANNELS)
  selected = key
  const m = rigs.get(key)
  // the selected rig: every channel, so the user can pick what to chart
  live.subscribe(m.tenant, m.rig, null)
  view.show(m)
  markDirty()
  if (!m.history) {
    m.history = loadHistory(m, ids => [...new Set([...view.wantedOf(m, ids), ...CARD_CHANNELS.filter(id => ids.includes(id))])])
      .catch(err => { console.warn('history', err); m.history = null })
      .finally(markDirty)
  }
}

function markDirty () {
  if (dirty) return
  dirty = true
  requestAnimationFrame(render)
}

function render () {
  dirty = false
  for (const m of rigs.values()) fleet.update(m, m.key === selected)
  view.update()
}

live.addEventListener('frames', ({ detail: f }) => {
  const m = rigs.get(`${f.tenant}/${f.rig}`)
  if (!m) return
  for (const [id, ch] of Object.entries(f.channels)) {
    let s = m.series.get(id)
    if (!s) m.series.set(id, s = new Series(60))
    s.push(ch)
    m.pointsReceived += ch.v.length
  }
  if (f.seq > m.lastSeq) { m.lastSeq = f.seq; m.lastSeenUs = f.windowStartUs }
  m.lastFrameAt = Date.now()
  markDirty()
})
live.addEventListener('state', ({ detail: s }) => {
  const m = rigs.get(`${s.tenant}/${s.rig}`)
  if (m) { m.status = s.state.status; if (s.state.profile && !m.profile) m.profile = s.state.profile; markDirty() }
})
live.addEventListener('prediction', ({ detail: p }) => {
  const m = rigs.get(`${p.tenant}/${p.rig}`)
  if (m) { m.prediction = p.prediction; markDirty() }
})
live.addEventListener('alert', ({ detail: a }) => {
  const m = rigs.get(`${a.tenant}/${a.rig}`)
  if (m) { m.alerts.push(a.alert); if (m.alerts.length > 100) m.alerts.shift(); markDirty() }
})
live.addEventListener('rigs', () => refreshRigs())
live.addEventListener('lag', ({ detail }) => console.warn(`live: ${detail.dropped} frames dropped (this page reads too slowly)`))
live.addEventListener('error', ({ detail }) => console.warn('live:', detail.code, detail.message))
live.addEventListener('connection', ({ detail: state }) => {
  const c = $('conn')
  c.dataset.state = state
  c.querySelector('.label').textContent = state === 'open' ? 'live' : state
  document.body.dataset.ws = state
  if (state === 'open') refreshRigs()
})

refreshRigs()
setInterval(refreshRigs, REFRESH_MS)
// "3 s ago" texts and the live/idle pills age even when no data comes
setInterval(markDirty, 1000)
