// Issue 7, the dashboard with auth, against the product itself (`rigstream start` as a child process,
// its simulated rigs at RS_SPEED=8 so that the inference worker's 60 s cycles come every 7.5 s):
// an operator signs in, the fleet lists every rig and every card shows its latest diagnosis, the
// rig page charts live, the fault injected in sim-002's simulator (cooler at 20 % efficiency,
// DEMO_FAULTS in cli/src/embedded.ts) appears as a cooler alert that the operator acknowledges on
// the page; the acknowledgement is recorded under the operator's name (from the token, not from
// the request body) and still shows after a reload. A viewer sees alerts but gets no button; sign
// out and a forged token both lead back to the form. Saves tests/.artifacts/alerts.png.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoPath } from '../../common/src/paths.js'
import { fillLogin, launchChromium, pageErrorsOf, restJson, skipBrowser as skip, startProduct } from './product.js'

/** the rig whose simulator has the cooler fault (DEMO_FAULTS[1]) and one without faults (DEMO_FAULTS[0]) */
const FAULTY = 'sim-002'
const HEALTHY = 'sim-001'
const OPERATOR = { username: 'olga.operator', password: 'operator-password-1', role: 'operator' }
const VIEWER = { username: 'victor.viewer', password: 'viewer-password-12', role: 'viewer' }

test('operator signs in, sees every rig with its diagnosis and a live chart, and acknowledges the alert of an injected fault', { skip, timeout: 480_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rs-alerts-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))
  const p = await startProduct(dataDir, { RS_SPEED: '8', RS_HTTP_PORT: '0', RS_MQTT_PORT: '0', RS_MQTT_WS_PORT: '0', RS_PG_PORT: '0' })
  after(() => { if (p.child.exitCode === null) p.child.kill('SIGKILL') })

  // the demo admin makes an operator and a viewer of tenant demo (REST, as an admin would)
  const admin = await restJson(p.dashboard, '/api/v1/auth/login', { body: p.login })
  assert.equal(admin.status, 200)
  for (const u of [OPERATOR, VIEWER]) {
    const r = await restJson(p.dashboard, '/api/v1/tenants/demo/users', { token: admin.body.token, body: u })
    assert.equal(r.status, 201, JSON.stringify(r.body))
  }
  // without a token the API refuses the rig list: the page has to sign in
  assert.equal((await restJson(p.dashboard, '/api/v1/rigs')).status, 401)

  const browser = await launchChromium()
  after(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 })
  const pageErrors = pageErrorsOf(page)
  await page.goto(p.dashboard)
  await fillLogin(page, OPERATOR.username, OPERATOR.password)
  await page.waitForSelector('body[data-auth="in"]')
  assert.match(await page.textContent('#who') ?? '', /olga\.operator.*demo · operator/)
  await page.waitForSelector('body[data-ws="open"]')

  // the fleet lists every rig the banner named
  for (const rig of p.rigs) await page.waitForSelector(`.card[data-rig="demo/${rig}"]`, { timeout: 60_000 })
  assert.equal(await page.textContent('#fleet-count'), `${p.rigs.length} rigs`)

  // the rig page of the faulty rig charts live: PS1 gains points while we watch
  await page.click(`.card[data-rig="demo/${FAULTY}"]`)
  await page.waitForSelector(`#detail[data-rig="demo/${FAULTY}"] .chart[data-channel="PS1"]`, { timeout: 60_000 })
  const ps1 = Number(await page.getAttribute('.chart[data-channel="PS1"]', 'data-points') ?? '0')
  await page.waitForFunction((n) => Number(document.querySelector('.chart[data-channel="PS1"]')?.getAttribute('data-points') ?? 0) > n, ps1, { timeout: 30_000 })

  // the injected cooler fault becomes an alert on the page (3 consecutive degraded cycles: the worker's rule)
  const coolerAlert = '#alert-list li[data-component="cooler"]'
  await page.waitForSelector(coolerAlert, { timeout: 240_000 })
  // every rig card shows its latest diagnosis (pushed on the WebSocket; the hub replays the latest on subscribe)
  for (const rig of p.rigs) {
    await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').length > 0, `.card[data-rig="demo/${rig}"] .card-diag`, { timeout: 120_000 })
  }
  assert.match(await page.textContent(`.card[data-rig="demo/${FAULTY}"] .card-diag`) ?? '', /:/, 'the faulty rig\'s card names a degraded component')
  // and the rig without injected faults raised no cooler alert (the alert is the fault's)
  const opToken = (await restJson(p.dashboard, '/api/v1/auth/login', { body: { username: OPERATOR.username, password: OPERATOR.password } })).body.token as string
  const healthy = await restJson(p.dashboard, `/api/v1/rigs/demo/${HEALTHY}/alerts`, { token: opToken })
  assert.equal(healthy.status, 200)
  assert.deepEqual(healthy.body.alerts.filter((a: { component: string }) => a.component === 'cooler'), [])

  // the operator acknowledges it on the page
  const id = await page.getAttribute(coolerAlert, 'data-id')
  assert.ok(id)
  const row = `#alert-list li[data-id="${id}"]`
  assert.equal(await page.getAttribute(row, 'data-acked'), 'false')
  await page.locator(`${row} button.ack`).click()
  await page.waitForSelector(`${row}[data-acked="true"]`)
  assert.match(await page.textContent(row) ?? '', /acknowledged by olga\.operator/)

  // recorded under the operator's name, from the token
  const stored = await restJson(p.dashboard, `/api/v1/rigs/demo/${FAULTY}/alerts`, { token: opToken })
  const mine = stored.body.alerts.find((a: { id: string }) => a.id === id)
  assert.equal(mine.acknowledgedBy, OPERATOR.username)
  assert.ok(mine.acknowledgedUs > 0)
  // a body cannot speak for someone else: the token's user is recorded
  const other = stored.body.alerts.find((a: { acknowledgedUs: number | null }) => a.acknowledgedUs === null)
  if (other) {
    const r = await restJson(p.dashboard, `/api/v1/rigs/demo/${FAULTY}/alerts/${encodeURIComponent(other.id)}/ack`, { token: opToken, body: { by: 'mallory' } })
    assert.equal(r.status, 200)
    assert.equal(r.body.acknowledgedBy, OPERATOR.username)
  }

  mkdirSync(repoPath('tests', '.artifacts'), { recursive: true })
  await page.screenshot({ path: repoPath('tests', '.artifacts', 'alerts.png') })

  // after a reload: still signed in (the token is kept for the tab), the alert still acknowledged
  await page.reload()
  await page.waitForSelector('body[data-auth="in"]')
  await page.click(`.card[data-rig="demo/${FAULTY}"]`)
  await page.waitForSelector(`${row}[data-acked="true"]`, { timeout: 30_000 })
  assert.equal(await page.isVisible(`${row} button.ack`), false)
  assert.deepEqual(pageErrors, [])

  // a viewer sees the alerts but gets no button, and the API refuses its acknowledgement
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const vpage = await ctx.newPage()
  const vErrors = pageErrorsOf(vpage)
  await vpage.goto(p.dashboard)
  await fillLogin(vpage, VIEWER.username, VIEWER.password)
  await vpage.waitForSelector('body[data-auth="in"]')
  await vpage.click(`.card[data-rig="demo/${FAULTY}"]`)
  await vpage.waitForSelector(`${row}[data-acked="true"]`, { timeout: 30_000 })
  assert.equal(await vpage.locator('#alert-list button.ack').count(), 0)
  const vToken = (await restJson(p.dashboard, '/api/v1/auth/login', { body: { username: VIEWER.username, password: VIEWER.password } })).body.token as string
  assert.equal((await restJson(p.dashboard, `/api/v1/rigs/demo/${FAULTY}/alerts/${encodeURIComponent(id)}/ack`, { token: vToken, body: {} })).status, 403)
  assert.deepEqual(vErrors, [])

  // sign out: back to the form, which says so; the kept token is gone
  await vpage.click('#sign-out')
  await vpage.waitForSelector('body[data-auth="login"]')
  assert.match(await vpage.textContent('#login-notice') ?? '', /signed out/i)
  assert.equal(await vpage.evaluate(() => sessionStorage.getItem('rigstream.token')), null)

  // a forged token (the real one with its signature changed) is refused: back to the form
  await vpage.evaluate((t) => sessionStorage.setItem('rigstream.token', t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA')), vToken)
  await vpage.reload()
  await vpage.waitForSelector('body[data-auth="login"]')
  assert.equal(await vpage.isVisible('#app'), false)
  await ctx.close()

  const code = await new Promise<number | null>(resolve => { p.child.once('exit', c => resolve(c)); p.child.kill('SIGINT') })
  assert.equal(code, 0, `exit code after SIGINT; output tail:\n${p.out().slice(-2000)}`)
})
