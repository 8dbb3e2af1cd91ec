// The dashboard in a real browser (Debian's Chromium through playwright-core): the page served by
// startApi lists the rigs stored in a real PostgreSQL and charts frames pushed through a real
// LiveBus, for a simulated rig (17 channels) and a replayed one (the 8 UCI 1 Hz channels), and
// reconnects by itself when its socket is cut. Saves tests/.artifacts/dashboard.png.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { LiveBus } from '../../common/src/live.js'
import { createRootLogger } from '../../common/src/logger.js'
import { repoPath } from '../../common/src/paths.js'
import { rigstream } from '../../schemas/src/index.js'
import { startApi, type Api } from '../../cloud-api/src/server.js'
import { frameBatch, stateOf, UCI_CHANNELS } from '../../cloud-api/test/support/frames.js'
import { storeForTest, type TestStore } from '../../cloud-api/test/support/store.js'

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'
const missing = !existsSync(CHROMIUM)
const skip = missing && process.env.RS_REQUIRE_BROWSER !== '1' ? `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` : false

const SECOND = 1_000_000
const RIGS = [
  { rig: 'sim-01', channels: undefined },
  { rig: 'sim-02', channels: undefined },
  { rig: 'replay-01', channels: UCI_CHANNELS }
]
const t0 = (Math.floor(Date.now() / 1000) - 120) * SECOND
let store: TestStore
let bus: LiveBus
let api: Api
let browser: Browser
let page: Page
const pageErrors: string[] = []
const seqs = new Map<string, number>()

/** Emits the next `n` one-second frames of every rig on the bus. */
function emitFrames (n: number): void {
  for (let i = 0; i < n; i++) {
    for (const r of RIGS) {
      const seq = (seqs.get(r.rig) ?? 0) + 1
      seqs.set(r.rig, seq)
      bus.emit('frames', { tenant: 'demo', rig: r.rig, seq, batch: frameBatch('demo', r.rig, seq, { windowStartUs: t0 + seq * SECOND, channels: r.channels }) })
    }
  }
}

const pointsOf = async (selector: string): Promise<number> => Number(await page.getAttribute(selector, 'data-points') ?? '0')

/** Emits frames until the page shows more points at `selector` than it did. */
async function grows (selector: string): Promise<void> {
  const before = await pointsOf(selector)
  emitFrames(1)
  await page.waitForFunction(({ sel, n }) => Number(document.querySelector(sel)?.getAttribute('data-points') ?? 0) > n, { sel: selector, n: before })
}

before(async () => {
  if (skip) return
  store = await storeForTest()
  // rigs exist once they have stored frames: one each, as ingest would have written
  await store.insert(RIGS.map(r => frameBatch('demo', r.rig, 1, { windowStartUs: t0 + SECOND, channels: r.channels })))
  for (const r of RIGS) seqs.set(r.rig, 1)
  // a rig with a stored past and nothing live: its charts come from the REST history alone
  await store.insert(Array.from({ length: 30 }, (_, i) => frameBatch('demo', 'hist-01', i + 1, { windowStartUs: t0 + (i + 1) * SECOND })))
  bus = new LiveBus()
  api = await startApi({ port: 0, queries: store.queries, bus, log: createRootLogger({ level: 'silent' }) })
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 })
  page.on('pageerror', err => pageErrors.push(String(err)))
  page.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()) })
})

after(async () => {
  if (skip) return
  await browser?.close()
  await api?.close()
  await store?.close()
})

test('the fleet lists every stored rig and the first rig charts live frames', { skip, timeout: 90_000 }, async () => {
  await page.goto(api.url + '/')
  await page.waitForSelector('body[data-ws="open"]')
  for (const r of RIGS) await page.waitForSelector(`.card[data-rig="demo/${r.rig}"]`)
  assert.equal(await page.locator('.card').count(), RIGS.length + 1)
  assert.equal(await page.textContent('#fleet-count'), '4 rigs')
  // the first rig (alphabetically) is selected: hist-01 never sends live, its charts come from the stored last minute
  await page.waitForFunction(() => document.querySelector('#detail')?.getAttribute('data-rig') === 'demo/hist-01')
  for (const id of ['PS1', 'EPS1', 'FS1', 'TS1']) await page.waitForSelector(`.chart[data-channel="${id}"]`)
  // 30 stored seconds: PS1 as 1 s min/max pairs (2 points a second), TS1 raw (1 a second)
  await page.waitForFunction(() => Number(document.querySelector('.chart[data-channel="PS1"]')?.getAttribute('data-points')) === 60)
  await page.waitForFunction(() => Number(document.querySelector('.chart[data-channel="TS1"]')?.getAttribute('data-points')) === 30)
  assert.equal(await page.getAttribute('.card[data-rig="demo/hist-01"] .pill', 'data-status'), 'idle')
  await page.click('.card[data-rig="demo/replay-01"]')
  await page.waitForFunction(() => document.querySelector('#detail')?.getAttribute('data-rig') === 'demo/replay-01')
  emitFrames(60)
  await page.waitForSelector('.card[data-rig="demo/sim-01"] .pill[data-status="live"]')
  // cards: PS1 (20 points a second) for simulated rigs, TS1 (1 a second) for the replayed one
  await page.waitForFunction(() => Number(document.querySelector('.card[data-rig="demo/sim-01"]')?.getAttribute('data-points')) >= 60 * 20)
  assert.equal(await page.textContent('.card[data-rig="demo/sim-01"] .ch'), 'PS1')
  assert.equal(await page.textContent('.card[data-rig="demo/replay-01"] .ch'), 'TS1')
  await grows('.card[data-rig="demo/sim-02"]')
  // a replayed rig has only 1 Hz channels, charted as they are
  for (const id of ['TS1', 'TS2', 'TS3', 'TS4']) await page.waitForSelector(`.chart[data-channel="${id}"]`)
  await grows('.chart[data-channel="TS1"]')
})

test('selecting a simulated rig charts its fast channels, and they keep updating', { skip, timeout: 90_000 }, async () => {
  await page.click('.card[data-rig="demo/sim-01"]')
  await page.waitForFunction(() => document.querySelector('#detail')?.getAttribute('data-rig') === 'demo/sim-01')
  emitFrames(1)
  for (const id of ['PS1', 'EPS1', 'FS1', 'TS1']) await page.waitForSelector(`.chart[data-channel="${id}"]`)
  await grows('.chart[data-channel="PS1"]')
  await grows('.chart[data-channel="FS1"]')
  // a chip adds a chart of another channel
  await page.click('.chip:text-is("PS2")')
  await page.waitForSelector('.chart[data-channel="PS2"]')
  await grows('.chart[data-channel="PS2"]')
  assert.ok(await page.locator('.chart[data-channel="PS1"] canvas').count() > 0)
})

test('state, diagnosis and alerts show on the page', { skip, timeout: 90_000 }, async () => {
  bus.emit('state', { tenant: 'demo', rig: 'sim-02', state: stateOf(rigstream.v1.RigState.Status.OFFLINE, Date.now() * 1000) })
  bus.emit('prediction', {
    tenant: 'demo',
    rig: 'sim-01',
    prediction: {
      tenant: 'demo', rig: 'sim-01', windowStartUs: t0, windowEndUs: t0 + 60 * SECOND, modelVersion: 'gnn-1.0.0', source: 2, firstSeq: 1, lastSeq: 60, producedUs: Date.now() * 1000,
      heads: [
        { target: 'cooler', classIndex: 2, label: 'full efficiency', probs: [0.01, 0.02, 0.97] },
        { target: 'valve', classIndex: 1, label: 'severe lag', probs: [0.1, 0.8, 0.05, 0.05] },
        { target: 'pump', classIndex: 0, label: 'no leakage', probs: [0.9, 0.05, 0.05] },
        { target: 'accumulator', classIndex: 3, label: 'optimal pressure', probs: [0.01, 0.01, 0.08, 0.9] },
        { target: 'stable', classIndex: 0, label: 'stable', probs: [0.95, 0.05] }
      ]
    } as never
  })
  bus.emit('alert', { tenant: 'demo', rig: 'sim-01', alert: { id: 'a1', tenant: 'demo', rig: 'sim-01', timeUs: Date.now() * 1000, severity: 2, component: 'valve', rule: 'valve-degraded', message: 'Valve condition: severe lag (80 %)', raisedOffline: false } as never })
  await page.waitForSelector('.card[data-rig="demo/sim-02"] .pill[data-status="offline"]')
  await page.waitForSelector('#diagnosis .head[data-sev="warn"]')
  await page.waitForSelector('.card[data-rig="demo/sim-01"] .card-diag[data-sev="warn"]')
  assert.match(await page.textContent('.card[data-rig="demo/sim-01"] .card-diag') ?? '', /Valve condition: severe lag/)
  await page.waitForSelector('#alert-list li[data-sev="warning"]')
  assert.match(await page.textContent('#alert-list') ?? '', /severe lag \(80 %\)/)
  // the agent's own diagnosis of the same window (source EDGE): the health chart keeps both sources apart
  bus.emit('prediction', {
    tenant: 'demo',
    rig: 'sim-01',
    prediction: {
      tenant: 'demo', rig: 'sim-01', windowStartUs: t0, windowEndUs: t0 + 60 * SECOND, modelVersion: 'gnn-1.0.0', source: 1, firstSeq: 1, lastSeq: 60, producedUs: Date.now() * 1000,
      heads: [{ target: 'valve', classIndex: 3, label: 'optimal switching', probs: [0.05, 0.05, 0.1, 0.8] }]
    } as never
  })
  // component health: both diagnoses, cloud and edge, one lane per component; the valve lane's
  // latest is the edge's (1 - p(optimal switching) = 20 %), the cooler's the cloud's (3 %)
  await page.waitForSelector('#health[data-points="2"][data-sources="cloud,edge"]')
  assert.match(await page.textContent('#health .health-src') ?? '', /cloud.*edge/)
  const latest = async (c: string): Promise<number> => Number(await page.getAttribute(`#health .health-lane[data-component="${c}"]`, 'data-latest'))
  assert.ok(Math.abs(await latest('valve') - 0.2) < 1e-6)
  assert.ok(Math.abs(await latest('cooler') - 0.03) < 1e-6)
  assert.equal(await page.textContent('#health .health-lane[data-component="valve"] .health-now'), 'optimal switching')
})

test('the page reconnects by itself after its socket is cut and keeps charting', { skip, timeout: 90_000 }, async () => {
  const before = api.stats().wsClients
  assert.equal(before, 1)
  for (const ws of api.app.websocketServer.clients) ws.terminate()
  await page.waitForSelector('body[data-ws="reconnecting"]')
  await page.waitForSelector('body[data-ws="open"]')
  // subscribed again: frames arrive
  await grows('.chart[data-channel="PS1"]')
  await grows('.card[data-rig="demo/replay-01"]')
  emitFrames(5)
  await grows('.chart[data-channel="PS1"]')
  mkdirSync(repoPath('tests', '.artifacts'), { recursive: true })
  await page.screenshot({ path: repoPath('tests', '.artifacts', 'dashboard.png'), fullPage: true })
  assert.deepEqual(pageErrors, [])
})
