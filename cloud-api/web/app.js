// The live fleet page: rigs from GET /api/v1/rigs (refreshed), live data from GET /ws, after the
// sign-in when the API needs a token (auth.js). Built by Vite (cloud-api/web/vite.config.js) into
// dist/web, which cloud-api serves.
import 'uplot/dist/uPlot.min.css'
import './styles.css'
import { LiveSocket } from './live.js'
import { session, api, probe, login, endSession, takeNotice, socketUrl, canOperate, isAdmin } from './auth.js'
import { FleetView, CARD_CHANNELS } from './fleet.js'
import { RigView } from './rig-view.js'
import { Series } from './series.js'
import { loadHistory } from './history.js'
import { HealthHistory, HEALTH_KEEP } from './health.js'
import { ModelsPage } from './models.js'

const REFRESH_MS = 5000
const $ = id => document.getElementById(id)

const rigs = new Map() // "tenant/rig" -> rig model
const profiles = new Map() // profile id -> Promise<profile with byId>
let selected = null
let dirty = false

let live = null // the LiveSocket, once signed in (or auth is off)
const fleet = new FleetView($('fleet'), $('fleet-empty'), key => select(key), key => { const m = rigs.get(key); if (m) markDirty(m) })
const view = new RigView({ section: $('detail'), title: $('detail-title'), meta: $('detail-meta'), charts: $('charts'), health: $('health'), diagnosis: $('diagnosis'), alerts: $('alerts'), alertList: $('alert-list') }, { canAck: () => canOperate(), ack: (m, id) => acknowledge(m, id) })

// the model rollout page (#models): admins of a tenant manage its rollouts, a platform admin (or
// anyone when auth is off) those of every tenant the fleet shows
const models = new ModelsPage({
  root: $('models-page'),
  api,
  isAdmin: () => isAdmin(),
  tenants: () => {
    if (session.authOn && session.user?.tenant !== '*') return session.user ? [session.user.tenant] : []
    return [...new Set([...rigs.values()].map(m => m.tenant))].sort()
  },
  rigsOf: tenant => [...rigs.values()].filter(m => m.tenant === tenant).map(m => m.rig)
})

/** Shows the page the address names (#models, else the fleet). */
function route () {
  const page = location.hash === '#models' ? 'models' : 'fleet'
  document.body.dataset.page = page
  $('fleet-page').hidden = page !== 'fleet'
  $('models-page').hidden = page !== 'models'
  for (const a of document.querySelectorAll('#nav a')) a.setAttribute('aria-current', String(a.dataset.page === page))
  models.setVisible(page === 'models')
  if (page === 'fleet') { view.resize(); markDirty() }
}

function loadProfile (id) {
  if (!profiles.has(id)) {
    profiles.set(id, api(`/api/v1/profile?id=${encodeURIComponent(id)}`)
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
    m = { key, tenant, rig, profile: '', lastSeq: 0, lastSeenUs: 0, frames: 0, status: 'UNKNOWN', series: new Map(), pointsReceived: 0, lastFrameAt: 0, prediction: null, alerts: new Map(), profileSpec: null, history: null, health: new HealthHistory(), healthLoaded: false }
    rigs.set(key, m)
    live.subscribe(tenant, rig, CARD_CHANNELS)
  }
  return m
}

async function refreshRigs () {
  try {
    const r = await api('/api/v1/rigs')
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
    if (models.visible && !models.tenant && sorted.length > 0) models.refresh()
    $('fleet-count').textContent = `${sorted.length} rig${sorted.length === 1 ? '' : 's'}`
    if (!selected && sorted.length > 0) select(sorted[0].key)
    else if (selected) loadDiagnosis(rigs.get(selected))
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
      .finally(() => markDirty())
  }
  loadDiagnosis(m)
}

// --- diagnosis and alerts of the selected rig from the REST API (the worker's store): the page
// has them at once, also after a reload, with their acknowledgement; live ones arrive on /ws ---

/** One alert in the rig's map by id; an acknowledgement already known is kept. */
function mergeAlert (m, a) {
  const id = String(a.id ?? `${a.rule}/${a.component}/${a.timeUs}`)
  const old = m.alerts.get(id)
  m.alerts.set(id, { ...old, ...a, id, timeUs: Number(a.timeUs), acknowledgedUs: a.acknowledgedUs ?? old?.acknowledgedUs ?? null, acknowledgedBy: a.acknowledgedBy ?? old?.acknowledgedBy ?? null })
  if (m.alerts.size > 200) m.alerts.delete(m.alerts.keys().next().value)
}

function rigBase (m) {
  return `/api/v1/rigs/${encodeURIComponent(m.tenant)}/${encodeURIComponent(m.rig)}`
}

async function loadDiagnosis (m) {
  if (!session.predictions || !m || m.loadingDiagnosis) return
  m.loadingDiagnosis = true
  try {
    // the diagnosis history (both sources) once per rig, for the health chart; live ones extend it
    const [a, p] = await Promise.all([
      api(`${rigBase(m)}/alerts?limit=50`).then(r => r.ok ? r.json() : null),
      m.healthLoaded ? null : api(`${rigBase(m)}/predictions?limit=${HEALTH_KEEP}`).then(r => r.ok ? r.json() : null)
    ])
    for (const x of (a?.alerts ?? []).slice().reverse()) mergeAlert(m, x)
    if (p?.predictions) {
      m.healthLoaded = true
      m.health.addRest(p.predictions)
      if (!m.prediction && p.predictions[0]) m.prediction = p.predictions[0]
    }
    markDirty()
  } catch (err) {
    console.warn('diagnosis of', m.key, String(err))
  } finally {
    m.loadingDiagnosis = false
  }
}

/** POST .../alerts/:id/ack: the API records who (the token's user). Throws with a message. */
async function acknowledge (m, id) {
  const r = await api(`${rigBase(m)}/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  if (!r.ok) {
    const body = await r.json().catch(() => ({}))
    throw new Error(r.status === 403 ? 'Only operators may acknowledge alerts.' : (body.message ?? `HTTP ${r.status}`))
  }
  const ack = await r.json()
  const a = m.alerts.get(id)
  if (a) { a.acknowledgedUs = ack.acknowledgedUs; a.acknowledgedBy = ack.acknowledgedBy }
  markDirty()
}

const changed = new Set() // rigs to redraw at the next frame
let allChanged = false

// At most one redraw per RENDER_MS: with hundreds of rigs streaming, some rig changes in every
// animation frame, and redrawing at 60 frames a second made the page's renderer the machine's
// biggest CPU user (the data itself arrives at most once a second per rig).
const RENDER_MS = 250
let lastRender = -Infinity

/** Redraw soon (at most every RENDER_MS, at an animation frame): rig `m` only (its card, and the detail if selected), or everything. */
function markDirty (m) {
  if (m && typeof m === 'object' && m.key) changed.add(m)
  else allChanged = true
  if (dirty) return
  dirty = true
  const wait = lastRender + RENDER_MS - performance.now()
  if (wait <= 0) requestAnimationFrame(render)
  else setTimeout(() => requestAnimationFrame(render), wait)
}

function render () {
  dirty = false
  lastRender = performance.now()
  // with hundreds of rigs streaming, a frame redraws only the cards whose rig changed
  const list = allChanged ? rigs.values() : changed
  for (const m of list) fleet.update(m, m.key === selected)
  if (allChanged || [...changed].some(m => m.key === selected)) view.update()
  changed.clear()
  allChanged = false
}

/** Starts the live page: the socket, the rig list and its refresh. */
function start () {
  live = new LiveSocket(socketUrl)
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
    markDirty(m)
  })
  live.addEventListener('state', ({ detail: s }) => {
    const m = rigs.get(`${s.tenant}/${s.rig}`)
    if (m) { m.status = s.state.status; if (s.state.profile && !m.profile) m.profile = s.state.profile; markDirty(m) }
  })
  live.addEventListener('prediction', ({ detail: p }) => {
    const m = rigs.get(`${p.tenant}/${p.rig}`)
    if (m) { m.prediction = p.prediction; m.health.add(p.prediction); markDirty(m) }
  })
  live.addEventListener('alert', ({ detail: a }) => {
    const m = rigs.get(`${a.tenant}/${a.rig}`)
    if (m) { mergeAlert(m, a.alert); markDirty(m) }
  })
  live.addEventListener('unauthorized', () => endSession('Your session has expired. Log in again.'))
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
  setInterval(() => markDirty(), 1000)
}

// --- sign-in ---

function showUser () {
  document.body.dataset.auth = session.authOn ? 'in' : 'off'
  $('who').hidden = !session.authOn
  if (session.user) {
    $('who-name').textContent = session.user.username
    $('who-role').textContent = `${session.user.tenant === '*' ? 'all tenants' : session.user.tenant} · ${session.user.role}`
  }
}

/** Shows the form until a login succeeds. */
function askLogin () {
  document.body.dataset.auth = 'login'
  $('login').hidden = false
  const notice = takeNotice()
  $('login-notice').hidden = !notice
  $('login-notice').textContent = notice ?? ''
  $('login-user').focus()
  return new Promise(resolve => {
    $('login-form').addEventListener('submit', async ev => {
      ev.preventDefault()
      const button = $('login-submit')
      button.disabled = true
      $('login-error').hidden = true
      try {
        await login($('login-user').value.trim(), $('login-pass').value)
        $('login').hidden = true
        $('login-pass').value = ''
        resolve()
      } catch (err) {
        $('login-error').textContent = err.message
        $('login-error').hidden = false
        $('login-pass').select()
      } finally {
        button.disabled = false
      }
    })
  })
}

$('sign-out').addEventListener('click', () => endSession('Signed out.'))

async function main () {
  if (!(await probe())) await askLogin()
  showUser()
  $('app').hidden = false
  $('nav').hidden = false
  start()
  window.addEventListener('hashchange', route)
  route()
}

main()
