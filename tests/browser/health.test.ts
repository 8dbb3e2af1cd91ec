// Issue 7, component health over time on the rig page, against the product itself (`rigstream
// start` as a child process, its simulated rigs at RS_SPEED=8 so that the inference worker's 60 s
// cycles come every 7.5 s): the admin signs in, opens the rig with the injected cooler fault
// (sim-002) and its health chart plots the diagnoses the worker stored and grows as new ones come
// over the WebSocket; after a reload it is filled from GET .../predictions alone (every diagnosis
// stored before the reload is on it). A lane per component; the cooler lane's canvas has the cooler's colour drawn on it.
// Saves tests/.artifacts/health.png (docs/dashboard.png is a copy of one such screenshot).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { repoPath } from '../../common/src/paths.js'
import { fillLogin, launchChromium, pageErrorsOf, restJson, skipBrowser as skip, startProduct } from './product.js'

const RIG = 'sim-002'
const HEALTH = '#health'

const attr = async (page: Page, name: string): Promise<number> => Number(await page.getAttribute(HEALTH, name) ?? '0')

/** Distinct diagnoses (source, window, model) of the rig in the store, as the page counts them. */
async function stored (base: string, token: string): Promise<number> {
  const r = await restJson(base, `/api/v1/rigs/demo/${RIG}/predictions?limit=500`, { token })
  assert.equal(r.status, 200, JSON.stringify(r.body))
  return new Set(r.body.predictions.map((p: { source: string, windowStartUs: number, modelVersion: string }) => `${p.source}|${p.windowStartUs}|${p.modelVersion}`)).size
}

/** Pixels of the chart's canvas within a small distance of rgb (the cooler's colour, #4cc2ff). */
async function pixelsOf (page: Page, rgb: [number, number, number]): Promise<number> {
  return await page.evaluate(([r, g, b]) => {
    const canvas = document.querySelector('#health canvas') as HTMLCanvasElement | null
    if (!canvas) return -1
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
    let n = 0
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r) < 16 && Math.abs(d[i + 1] - g) < 16 && Math.abs(d[i + 2] - b) < 16 && d[i + 3] > 200) n++
    return n
  }, rgb)
}

test('the rig page charts component health: the stored diagnoses, growing live, and again from REST after a reload', { skip, timeout: 480_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rs-health-'))
  after(() => rmSync(dataDir, { recursive: true, force: true }))
  const p = await startProduct(dataDir, { RS_SPEED: '8', RS_HTTP_PORT: '0', RS_MQTT_PORT: '0', RS_MQTT_WS_PORT: '0', RS_PG_PORT: '0' })
  after(() => { if (p.child.exitCode === null) p.child.kill('SIGKILL') })
  const admin = await restJson(p.dashboard, '/api/v1/auth/login', { body: p.login })
  assert.equal(admin.status, 200)
  const token = admin.body.token as string

  const browser = await launchChromium()
  after(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1440, height: 1320 }, deviceScaleFactor: 1 })
  const pageErrors = pageErrorsOf(page)
  await page.goto(p.dashboard)
  await fillLogin(page, p.login.username, p.login.password)
  await page.waitForSelector('body[data-ws="open"]')
  for (const rig of p.rigs) await page.waitForSelector(`.card[data-rig="demo/${rig}"]`, { timeout: 60_000 })
  await page.click(`.card[data-rig="demo/${RIG}"]`)
  await page.waitForSelector(`#detail[data-rig="demo/${RIG}"] ${HEALTH}`)

  // the first diagnoses appear on the chart (the worker needs a full window of frames first)
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-points') ?? 0) >= 2, HEALTH, { timeout: 240_000 })
  assert.match(await page.getAttribute(HEALTH, 'data-sources') ?? '', /cloud/)
  // and the chart grows live: new diagnoses arrive on the WebSocket while we watch
  const before = await attr(page, 'data-points')
  await page.waitForFunction(({ sel, n }) => Number(document.querySelector(sel)?.getAttribute('data-points') ?? 0) > n, { sel: HEALTH, n: before }, { timeout: 120_000 })
  // everything stored is on the page (it may be a diagnosis ahead of our REST call, never behind)
  const nowStored = await stored(p.dashboard, token)
  await page.waitForFunction(({ sel, n }) => Number(document.querySelector(sel)?.getAttribute('data-points') ?? 0) >= n, { sel: HEALTH, n: nowStored }, { timeout: 30_000 })
  // a lane per target of the profile, in its order, each naming the component and its latest class
  const lanes = await page.$$eval(`${HEALTH} .health-lane`, ls => ls.map(l => [l.getAttribute('data-component'), l.querySelector('.health-title')?.textContent, l.querySelector('.health-now')?.textContent ?? '']))
  assert.deepEqual(lanes.map(l => [l[0], l[1]]), [['cooler', 'Cooler condition'], ['valve', 'Valve condition'], ['pump', 'Internal pump leakage'], ['accumulator', 'Hydraulic accumulator'], ['stable', 'Stable flag']])
  for (const l of lanes) assert.ok((l[2] ?? '').length > 0, `lane ${l[0]} names its latest class`)
  assert.ok(await pixelsOf(page, [0x4c, 0xc2, 0xff]) > 20, 'the cooler\'s series is drawn on the canvas: ' + await page.evaluate(() => {
    const c = document.querySelector('#health canvas') as HTMLCanvasElement
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    const h = new Map<string, number>()
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200) { const k = `${d[i]},${d[i + 1]},${d[i + 2]}`; h.set(k, (h.get(k) ?? 0) + 1) }
    return `${c.width}x${c.height} ` + JSON.stringify([...h].sort((a, b) => b[1] - a[1]).slice(0, 12)) + ' ' + document.querySelector('#health')!.outerHTML.slice(0, 600)
  }))

  // a reload starts from nothing: the chart is filled from GET .../predictions, with every stored diagnosis
  const storedBefore = await stored(p.dashboard, token)
  await page.reload()
  await page.waitForSelector('body[data-ws="open"]')
  await page.click(`.card[data-rig="demo/${RIG}"]`)
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-rest') ?? 0) > 0, HEALTH, { timeout: 30_000 })
  const fromRest = await attr(page, 'data-rest')
  assert.ok(fromRest >= storedBefore, `loaded ${fromRest} diagnoses from REST, ${storedBefore} were stored before the reload`)
  assert.ok(fromRest <= await stored(p.dashboard, token))
  assert.ok(await pixelsOf(page, [0x4c, 0xc2, 0xff]) > 20)

  await page.waitForTimeout(2000) // a little more live chart for the screenshot
  mkdirSync(repoPath('tests', '.artifacts'), { recursive: true })
  await page.screenshot({ path: repoPath('tests', '.artifacts', 'health.png') })
  assert.deepEqual(pageErrors, [])

  const code = await new Promise<number | null>(resolve => { p.child.once('exit', c => resolve(c)); p.child.kill('SIGINT') })
  assert.equal(code, 0, `exit code after SIGINT; output tail:\n${p.out().slice(-2000)}`)
})
