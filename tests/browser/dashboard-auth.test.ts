// The dashboard with auth on, served by startApi({ auth }) on a real PostgreSQL (migrations incl.
// 090) in Debian's Chromium: the page asks for a login, keeps charting through a cut socket (it
// reconnects with its token), and goes back to the form when the server closes the socket with
// 4401 because the token expired (a token made with the server's key and a few seconds to live).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Browser, Page } from 'playwright-core'
import { LiveBus } from '../../common/src/live.js'
import { createRootLogger } from '../../common/src/logger.js'
import { startApi, type Api } from '../../cloud-api/src/server.js'
import { ensureAdmin } from '../../cloud-api/src/auth/bootstrap.js'
import { signToken } from '../../cloud-api/src/auth/jwt.js'
import { frameBatch } from '../../cloud-api/test/support/frames.js'
import { storeForTest, type TestStore } from '../../cloud-api/test/support/store.js'
import { fillLogin, launchChromium, pageErrorsOf, skipBrowser as skip } from './product.js'

const SECOND = 1_000_000
const t0 = (Math.floor(Date.now() / 1000) - 60) * SECOND
const secret = randomBytes(32)
let store: TestStore
let pool: pg.Pool
let bus: LiveBus
let api: Api
let browser: Browser
let page: Page
let password: string
let pageErrors: string[]
let seq = 1

function emit (n: number): void {
  for (let i = 0; i < n; i++) {
    seq++
    bus.emit('frames', { tenant: 'acme', rig: 'press-1', seq, batch: frameBatch('acme', 'press-1', seq, { windowStartUs: t0 + seq * SECOND }) })
  }
}

async function grows (selector: string): Promise<void> {
  const n = Number(await page.getAttribute(selector, 'data-points') ?? '0')
  emit(1)
  await page.waitForFunction(({ sel, n }) => Number(document.querySelector(sel)?.getAttribute('data-points') ?? 0) > n, { sel: selector, n })
}

before(async () => {
  if (skip) return
  store = await storeForTest()
  await store.insert([frameBatch('acme', 'press-1', 1, { windowStartUs: t0 + SECOND })])
  pool = new pg.Pool({ connectionString: store.url, max: 2 })
  const admin = await ensureAdmin(pool, { tenant: 'acme', username: 'ann' })
  password = admin.password!
  bus = new LiveBus()
  api = await startApi({ port: 0, queries: store.queries, bus, log: createRootLogger({ level: 'silent' }), auth: { pool, jwtSecret: secret, loginRateLimit: false } })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  pageErrors = pageErrorsOf(page)
})

after(async () => {
  if (skip) return
  await browser?.close()
  await api?.close()
  await pool?.end()
  await store?.close()
})

test('with auth on the page asks for a login, then charts live and reconnects with its token after a cut', { skip, timeout: 90_000 }, async () => {
  await page.goto(api.url + '/')
  await page.waitForSelector('body[data-auth="login"]')
  assert.equal(await page.isVisible('#app'), false)
  await fillLogin(page, 'ann', password)
  await page.waitForSelector('body[data-auth="in"]')
  await page.waitForSelector('body[data-ws="open"]')
  await page.waitForSelector('.card[data-rig="acme/press-1"]')
  await grows('.card[data-rig="acme/press-1"]')
  // the socket is cut: the page reconnects by itself (with ?access_token=) and charts on
  for (const ws of api.app.websocketServer.clients) ws.terminate()
  await page.waitForSelector('body[data-ws="reconnecting"]')
  await page.waitForSelector('body[data-ws="open"]')
  await grows('.card[data-rig="acme/press-1"]')
  assert.equal(await page.getAttribute('body', 'data-auth'), 'in')
  assert.deepEqual(pageErrors, [])
})

test('a token that expires while the page is open: socket closed with 4401, back to the login form', { skip, timeout: 90_000 }, async () => {
  // a real token from the server's key, with 6 s to live (the page's own REST refresh comes every 5 s)
  // (with the account's token epoch: a token without it is refused as issued before an account change)
  const ver = (await pool.query<{ e: number }>("SELECT token_epoch AS e FROM users WHERE username = 'ann'")).rows[0]!.e
  const { token } = signToken(secret, { sub: 'ann', tid: 'acme', role: 'admin', ver }, 6)
  await page.evaluate(t => sessionStorage.setItem('rigstream.token', t), token)
  await page.reload()
  await page.waitForSelector('body[data-auth="in"]')
  await page.waitForSelector('body[data-ws="open"]')
  await page.waitForSelector('body[data-auth="login"]', { timeout: 30_000 })
  assert.match(await page.textContent('#login-notice') ?? '', /expired/)
  assert.equal(await page.evaluate(() => sessionStorage.getItem('rigstream.token')), null)
  assert.equal(await page.isVisible('#app'), false)
})
