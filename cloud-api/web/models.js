// The model rollout page (#models): the registry (GET /api/v1/models), each rig's running model
// version (GET /api/v1/tenants/:t/model-versions) and rig groups (GET .../rig-groups), and for admins
// a form to roll a version out to a rig group or to rigs picked on the page (POST
// /api/v1/tenants/:t/rollouts), the rollouts with each rig's status (polled
// while the page is open) and a roll back button (POST .../rollouts/:id/rollback). Viewers and
// operators see the registry and the versions, read-only. Shapes: docs/api.md, "Models".
import { el } from './format.js'

const POLL_MS = 2000
const IDLE_POLL_MS = 10_000
const STATUS_TEXT = { pending: 'pending', active: 'active', failed: 'failed', 'rolled-back': 'rolled back', superseded: 'superseded', skipped: 'skipped' }

function fmtBytes (n) {
  if (!Number.isFinite(n)) return '–'
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${n} B`
}

function fmtTime (iso) {
  if (!iso) return '–'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString()
}

async function errorOf (r) {
  const body = await r.json().catch(() => ({}))
  return `${body.code ? body.code + ': ' : ''}${body.message ?? `HTTP ${r.status}`}`
}

export class ModelsPage {
  /**
   * o: { root, api (fetch with the token), isAdmin () -> boolean, tenants () -> [tenant] the user
   *      may manage, rigsOf (tenant) -> [rig ids] known to the fleet view }
   */
  constructor (o) {
    this.o = o
    this.root = o.root
    this.models = []
    this.versions = new Map() // rig -> { version, updatedAt }
    this.rollouts = []
    this.groups = [] // [{ name, rigs }]
    this.tenant = null
    this.timer = null
    this.visible = false
    this.busy = false
    this.build()
  }

  build () {
    const r = this.root
    r.textContent = ''
    const head = el('div', 'page-head')
    this.tenantPick = el('select', 'tenant-pick')
    this.tenantPick.id = 'models-tenant'
    this.tenantPick.onchange = () => { this.tenant = this.tenantPick.value; this.refresh() }
    this.note = el('span', 'muted small')
    head.append(el('h2', null, 'Models'), this.tenantPick, this.note)

    // the registry
    this.registry = el('table', 'grid-table')
    this.registry.id = 'registry'
    const regSec = el('section', 'panel')
    regSec.append(el('h3', null, 'Registry'), this.registry)

    // the form (admins)
    this.form = el('form', 'panel rollout-form')
    this.form.id = 'rollout-form'
    this.modelPick = el('select')
    this.modelPick.id = 'rollout-model'
    this.modelPick.required = true
    this.rigBox = el('div', 'rig-picks')
    this.rigBox.id = 'rollout-rigs'
    const all = el('button', 'btn-quiet', 'all rigs')
    all.type = 'button'
    all.id = 'rollout-all'
    all.onclick = () => { const boxes = [...this.rigBox.querySelectorAll('input')]; const on = !boxes.every(b => b.checked); for (const b of boxes) b.checked = on }
    const submit = el('button', 'btn', 'Roll out')
    submit.type = 'submit'
    submit.id = 'rollout-submit'
    this.formError = el('p', 'login-error')
    this.formError.id = 'rollout-error'
    this.formError.setAttribute('role', 'alert')
    this.formError.hidden = true
    this.groupPick = el('select')
    this.groupPick.id = 'rollout-group'
    this.groupPick.onchange = () => this.renderForm()
    const modelLabel = el('label', 'field')
    modelLabel.append(el('span', 'muted small', 'Version'), this.modelPick)
    const groupLabel = el('label', 'field')
    groupLabel.append(el('span', 'muted small', 'To'), this.groupPick)
    this.allButton = all
    const rigsHead = el('div', 'field-head')
    rigsHead.append(el('span', 'muted small', 'Rigs'), all)
    const row = el('div', 'form-row')
    row.append(modelLabel, groupLabel, submit)
    this.form.append(el('h3', null, 'Roll out'), row, rigsHead, this.rigBox, this.formError)
    this.form.addEventListener('submit', ev => { ev.preventDefault(); this.rollOut(submit) })

    // running versions
    this.versionTable = el('table', 'grid-table')
    this.versionTable.id = 'model-versions'
    const verSec = el('section', 'panel')
    verSec.append(el('h3', null, 'Running on the rigs'), this.versionTable)

    // rollouts (admins)
    this.list = el('div', 'rollouts')
    this.list.id = 'rollouts'
    this.rolloutSec = el('section', 'panel')
    this.rolloutSec.append(el('h3', null, 'Rollouts'), this.list)

    const cols = el('div', 'models-cols')
    const left = el('div', 'models-col')
    const right = el('div', 'models-col')
    left.append(regSec, verSec)
    right.append(this.form, this.rolloutSec)
    cols.append(left, right)
    r.append(head, cols)
  }

  /** Called when the page is shown or hidden: polls only while shown. */
  setVisible (on) {
    this.visible = on
    clearTimeout(this.timer)
    if (on) this.refresh()
  }

  tenants () {
    return this.o.tenants()
  }

  async refresh () {
    clearTimeout(this.timer)
    if (!this.visible) return
    const admin = this.o.isAdmin()
    this.root.dataset.admin = String(admin)
    this.form.hidden = !admin
    this.rolloutSec.hidden = !admin
    this.note.textContent = admin ? '' : 'read-only: rollouts are started by administrators'
    const tenants = this.tenants()
    if (!this.tenant || !tenants.includes(this.tenant)) this.tenant = tenants[0] ?? null
    this.renderTenants(tenants)
    try {
      const t = this.tenant && encodeURIComponent(this.tenant)
      const [m, v, g, ro] = await Promise.all([
        this.o.api('/api/v1/models').then(async r => r.ok ? r.json() : Promise.reject(new Error(await errorOf(r)))),
        t ? this.o.api(`/api/v1/tenants/${t}/model-versions`).then(r => r.ok ? r.json() : null) : null,
        t ? this.o.api(`/api/v1/tenants/${t}/rig-groups`).then(r => r.ok ? r.json() : null) : null,
        t && admin ? this.o.api(`/api/v1/tenants/${t}/rollouts?limit=20`).then(r => r.ok ? r.json() : null) : null
      ])
      this.models = m.models ?? []
      this.versions = new Map((v?.rigs ?? []).map(x => [x.rig, x]))
      this.rollouts = ro?.rollouts ?? []
      this.groups = g?.groups ?? []
      this.root.dataset.loaded = 'true'
      this.render()
    } catch (err) {
      console.warn('models page', String(err))
    } finally {
      if (this.visible) {
        const pending = this.rollouts.some(x => x.counts?.pending > 0)
        this.timer = setTimeout(() => this.refresh(), pending ? POLL_MS : IDLE_POLL_MS)
      }
    }
  }

  renderTenants (tenants) {
    const key = tenants.join(',')
    if (this.tenantPick.dataset.key !== key) {
      this.tenantPick.dataset.key = key
      this.tenantPick.textContent = ''
      for (const t of tenants) { const o = el('option', null, t); o.value = t; this.tenantPick.appendChild(o) }
    }
    this.tenantPick.value = this.tenant ?? ''
    this.tenantPick.hidden = tenants.length < 2
  }

  render () {
    this.renderRegistry()
    this.renderVersions()
    if (this.o.isAdmin()) { this.renderForm(); this.renderRollouts() }
  }

  renderRegistry () {
    const t = this.registry
    t.textContent = ''
    const h = el('tr')
    for (const c of ['Model', 'Version', 'Source', 'Signed', 'Self-test', 'Size', 'Created', 'Uploaded by']) h.appendChild(el('th', null, c))
    t.appendChild(el('thead')).appendChild(h)
    const body = t.appendChild(el('tbody'))
    for (const m of this.models) {
      const tr = el('tr')
      tr.dataset.model = `${m.name}@${m.version}`
      tr.append(el('td', 'mono', m.name), el('td', 'mono strong', m.version), el('td', null, m.source),
        el('td', m.signed ? 'ok' : 'muted', m.signed ? 'signed' : 'unsigned'), el('td', m.selfTest ? 'ok' : 'muted', m.selfTest ? 'yes' : 'no'),
        el('td', 'num', fmtBytes(m.sizeBytes)), el('td', 'muted', fmtTime(m.createdAt)), el('td', 'muted', m.uploadedBy ?? '–'))
      tr.title = `manifest sha256 ${m.sha256}`
      body.appendChild(tr)
    }
    if (this.models.length === 0) body.appendChild(el('tr')).appendChild(el('td', 'muted', 'No model packages.')).colSpan = 8
  }

  rigs () {
    return [...new Set([...this.o.rigsOf(this.tenant), ...this.versions.keys(), ...this.groups.flatMap(g => g.rigs)])].sort()
  }

  /** The group picked in the form, or null for the rigs picked by hand. */
  pickedGroup () {
    return this.groups.find(g => g.name === this.groupPick.value) ?? null
  }

  renderVersions () {
    const t = this.versionTable
    t.textContent = ''
    const h = el('tr')
    for (const c of ['Rig', 'Model version', 'Reported', 'Groups']) h.appendChild(el('th', null, c))
    t.appendChild(el('thead')).appendChild(h)
    const body = t.appendChild(el('tbody'))
    for (const rig of this.rigs()) {
      const v = this.versions.get(rig)
      const tr = el('tr')
      tr.dataset.rig = rig
      tr.dataset.version = v?.version ?? ''
      const groups = this.groups.filter(g => g.rigs.includes(rig)).map(g => g.name).join(', ')
      tr.append(el('td', 'mono', rig), el('td', v?.version ? 'mono strong' : 'muted', v?.version ?? 'unknown'), el('td', 'muted', fmtTime(v?.updatedAt)), el('td', 'mono muted', groups))
      body.appendChild(tr)
    }
  }

  renderForm () {
    const key = this.models.map(m => `${m.name}@${m.version}:${m.signed}`).join(',')
    if (this.modelPick.dataset.key !== key) {
      const was = this.modelPick.value
      this.modelPick.dataset.key = key
      this.modelPick.textContent = ''
      for (const m of this.models) {
        // a bundled package is installed with the agents: they go back to it without a signature
        const usable = m.signed || m.source === 'bundled'
        const note = m.signed ? '' : m.source === 'bundled' ? ' (installed with the agents)' : ' (unsigned: agents refuse it)'
        const o = el('option', null, `${m.name} ${m.version}${note}`)
        o.value = `${m.name}@${m.version}`
        o.disabled = !usable
        this.modelPick.appendChild(o)
      }
      if ([...this.modelPick.options].some(o => o.value === was && !o.disabled)) this.modelPick.value = was
      else { const first = [...this.modelPick.options].find(o => !o.disabled); if (first) this.modelPick.value = first.value }
    }
    const gkey = this.groups.map(g => `${g.name}:${g.rigs.join('+')}`).join(',')
    if (this.groupPick.dataset.key !== gkey) {
      const was = this.groupPick.value
      this.groupPick.dataset.key = gkey
      this.groupPick.textContent = ''
      const own = el('option', null, 'the rigs picked below')
      own.value = ''
      this.groupPick.appendChild(own)
      for (const g of this.groups) {
        const o = el('option', null, `group ${g.name} (${g.rigs.length} rig${g.rigs.length === 1 ? '' : 's'})`)
        o.value = g.name
        this.groupPick.appendChild(o)
      }
      this.groupPick.value = this.groups.some(g => g.name === was) ? was : ''
    }
    const group = this.pickedGroup()
    this.allButton.disabled = !!group
    const rigs = this.rigs()
    const rkey = this.tenant + '|' + rigs.join(',') + '|' + (group ? group.name + ':' + group.rigs.join('+') : '')
    if (this.rigBox.dataset.key !== rkey) {
      const checked = new Set([...this.rigBox.querySelectorAll('input:checked')].map(i => i.value))
      this.rigBox.dataset.key = rkey
      this.rigBox.textContent = ''
      for (const rig of rigs) {
        const l = el('label', 'rig-pick')
        const i = el('input')
        i.type = 'checkbox'
        i.value = rig
        i.name = 'rig'
        i.checked = group ? group.rigs.includes(rig) : checked.has(rig)
        i.disabled = !!group
        const v = this.versions.get(rig)?.version
        l.append(i, el('span', 'mono', rig), el('span', 'muted small', v ?? ''))
        this.rigBox.appendChild(l)
      }
      if (rigs.length === 0) this.rigBox.appendChild(el('span', 'muted small', 'No rigs of this tenant yet.'))
    }
  }

  async rollOut (button) {
    const [name, version] = this.modelPick.value.split('@')
    const group = this.pickedGroup()
    const rigs = [...this.rigBox.querySelectorAll('input:checked')].map(i => i.value)
    this.formError.hidden = true
    if (!name || !version) return this.showError('Choose a model version.')
    if (!group && rigs.length === 0) return this.showError('Choose a rig group or at least one rig.')
    button.disabled = true
    try {
      const r = await this.o.api(`/api/v1/tenants/${encodeURIComponent(this.tenant)}/rollouts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(group ? { name, version, group: group.name } : { name, version, rigs }) })
      if (!r.ok) return this.showError(await errorOf(r))
      const ro = await r.json()
      this.rollouts = [ro, ...this.rollouts.filter(x => x.id !== ro.id)]
      if (!group) for (const i of this.rigBox.querySelectorAll('input')) i.checked = false
      this.renderRollouts()
      this.refresh()
    } catch (err) {
      this.showError(`The server cannot be reached (${err.message}).`)
    } finally {
      button.disabled = false
    }
  }

  showError (msg) {
    this.formError.textContent = msg
    this.formError.hidden = false
  }

  /** First click arms the button ("Confirm roll back"), a second within 5 s sends it. */
  async rollBack (ro, button, err) {
    if (button.dataset.armed !== 'true') {
      button.dataset.armed = 'true'
      button.textContent = 'Confirm roll back'
      setTimeout(() => { if (button.isConnected && button.dataset.armed === 'true') { button.dataset.armed = 'false'; button.textContent = 'Roll back' } }, 5000)
      return
    }
    button.dataset.armed = 'false'
    button.disabled = true
    err.hidden = true
    try {
      const r = await this.o.api(`/api/v1/tenants/${encodeURIComponent(this.tenant)}/rollouts/${ro.id}/rollback`, { method: 'POST' })
      if (!r.ok) { err.textContent = await errorOf(r); err.hidden = false; return }
      this.list.dataset.key = ''
      this.refresh()
    } catch (e) {
      err.textContent = String(e.message)
      err.hidden = false
    } finally {
      button.disabled = false
    }
  }

  renderRollouts () {
    const key = JSON.stringify(this.rollouts)
    if (this.list.dataset.key === key) return
    this.list.dataset.key = key
    this.list.textContent = ''
    if (this.rollouts.length === 0) { this.list.appendChild(el('p', 'muted small', 'No rollouts in this tenant yet.')); return }
    for (const ro of this.rollouts) {
      const card = el('article', 'rollout')
      card.dataset.id = String(ro.id)
      card.dataset.kind = ro.kind
      const head = el('div', 'rollout-head')
      const title = ro.kind === 'rollback' ? `#${ro.id} roll back of #${ro.rollbackOf} (${ro.name} ${ro.version})` : `#${ro.id} ${ro.name} ${ro.version}${ro.group ? ` → group ${ro.group}` : ''}`
      const counts = Object.entries(ro.counts ?? {}).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k === 'rolledBack' ? 'rolled back' : k}`).join(' · ')
      head.append(el('span', 'rollout-title mono', title), el('span', 'muted small', `${fmtTime(ro.createdAt)} · ${ro.createdBy}`), el('span', 'rollout-counts small', counts))
      const err = el('span', 'login-error small')
      err.hidden = true
      if (ro.kind === 'rollout') {
        if (ro.rolledBackBy) head.appendChild(el('span', 'muted small', `rolled back by #${ro.rolledBackBy}`))
        else {
          const b = el('button', 'btn-quiet rollback', 'Roll back')
          b.type = 'button'
          b.onclick = () => this.rollBack(ro, b, err)
          head.appendChild(b)
        }
      }
      head.appendChild(err)
      const t = el('table', 'grid-table rollout-rigs')
      const h = el('tr')
      for (const c of ['Rig', 'Target', 'Previous', 'Status', 'Running', 'Detail', 'Updated']) h.appendChild(el('th', null, c))
      t.appendChild(el('thead')).appendChild(h)
      const body = t.appendChild(el('tbody'))
      for (const x of ro.rigs) {
        const tr = el('tr', 'rollout-rig')
        tr.dataset.rig = x.rig
        tr.dataset.status = x.status
        const st = el('span', 'status', STATUS_TEXT[x.status] ?? x.status)
        st.dataset.status = x.status
        const td = el('td')
        td.appendChild(st)
        tr.append(el('td', 'mono', x.rig), el('td', 'mono', x.targetVersion), el('td', 'mono muted', x.previousVersion ?? '–'), td,
          el('td', 'mono', x.activeVersion ?? '–'), el('td', 'muted small detail-cell', x.detail ?? ''), el('td', 'muted', fmtTime(x.updatedAt)))
        body.appendChild(tr)
      }
      card.append(head, t)
      this.list.appendChild(card)
    }
  }
}
