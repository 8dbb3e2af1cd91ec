// Issue 7, the model rollout page in Debian's Chromium, all real: PostgreSQL, the aedes broker with
// device and service credentials, cloud-api (auth on, model commands over MQTT) serving the built
// dashboard, and three edge agents with their diagnosis (ModelManager: download, signature check,
// self-test) like cloud-api/test/model-rollout.test.ts. Two signed versions are in the registry
// (uploaded over REST) and rig group line-a holds press-1 and press-2. The tenant's admin, on the
// page: rolls 1.1.0 out to the group and sees each rig's status become active (the agents really run
// it; press-3, outside the group, does not), rolls 1.2.0 out, then rolls that back with the page's
// button and sees the rigs active on 1.1.0 again. A viewer sees the registry and the versions, no
// form, no rollouts, no buttons. Saves tests/.artifacts/models.png.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { Page } from 'playwright-core'
import { createRootLogger } from '../../common/src/logger.js'
import { LiveBus } from '../../common/src/live.js'
import { repoPath } from '../../common/src/paths.js'
import { PgCredentialStore, provisionService } from '../../broker/src/credentials.js'
import { startBroker } from '../../broker/src/server.js'
import { DEFAULT_MODEL_DIR } from '../../inference/src/package.js'
import { startAgent, type Agent } from '../../edge-agent/src/agent.js'
import { EdgeDiagnosis } from '../../edge-agent/src/diagnosis/service.js'
import { createUciReplay } from '../../edge-agent/src/sources/uci-replay.js'
import { keyPair, makePackage, MODEL_NAME } from '../../edge-agent/test/model-packages.js'
import { AuthStore } from '../../cloud-api/src/auth/store.js'
import { startApi } from '../../cloud-api/src/server.js'
import { startModelCommands } from '../../cloud-api/src/models/commands.js'
import { frameBatch } from '../../cloud-api/test/support/frames.js'
import { storeForTest } from '../../cloud-api/test/support/store.js'
import { fillLogin, launchChromium, pageErrorsOf, restJson, skipBrowser as skip } from './product.js'
import { BUNDLED_VERSION } from '../support/bundled-model.js'

const log = createRootLogger({ level: process.env.RS_LOG_LEVEL ?? 'silent' })
const PASSWORD = 'correct horse battery'
const RIGS = ['press-1', 'press-2', 'press-3']
const GROUP = ['press-1', 'press-2']

function uploadBody (dir: string): { manifest: string, model: string, selfTest: string } {
  return {
    manifest: readFileSync(join(dir, 'manifest.json'), 'utf8'),
    model: readFileSync(join(dir, 'model.onnx')).toString('base64'),
    selfTest: readFileSync(join(dir, 'selftest.json')).toString('base64')
  }
}

/** The rig rows of rollout card `id`, as [rig, status, running version]. */
async function rowsOf (page: Page, id: string): Promise<string[][]> {
  return await page.$$eval(`.rollout[data-id="${id}"] tr.rollout-rig`, trs => trs.map(tr => [tr.getAttribute('data-rig') ?? '', tr.getAttribute('data-status') ?? '', tr.children[4]?.textContent ?? '']))
}

/** Every rig row of rollout card `id` reaches `status` (the page polls the API). */
async function settles (page: Page, id: string, rigs: string[], status: string): Promise<void> {
  for (const rig of rigs) await page.waitForSelector(`.rollout[data-id="${id}"] tr.rollout-rig[data-rig="${rig}"][data-status="${status}"]`, { timeout: 120_000 })
}

/** Submits the form for `version` to group line-a; resolves with the new rollout card's id. */
async function rollOut (page: Page, version: string): Promise<string> {
  const before = new Set(await page.$$eval('.rollout', els => els.map(e => e.getAttribute('data-id'))))
  await page.selectOption('#rollout-model', `${MODEL_NAME}@${version}`)
  await page.selectOption('#rollout-group', 'line-a')
  // the group's rigs are ticked (and locked), the other is not
  assert.deepEqual(await page.$$eval('#rollout-rigs input:checked', els => els.map(e => (e as HTMLInputElement).value)), GROUP)
  await page.click('#rollout-submit')
  await page.waitForFunction((ids) => [...document.querySelectorAll('.rollout')].some(e => !ids.includes(e.getAttribute('data-id'))), [...before])
  const id = await page.$$eval('.rollout', (els, ids) => els.map(e => e.getAttribute('data-id')).find(x => !ids.includes(x)), [...before])
  assert.ok(id)
  assert.equal(await page.isVisible('#rollout-error'), false)
  return id
}

test('an admin rolls a model version out to a rig group on the rollout page, sees every rig go active, and rolls back; a viewer only reads', { skip, timeout: 420_000 }, async t => {
  const cleanups: Array<() => Promise<unknown>> = []
  t.after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}) })

  // --- two signed versions of the model
  const signer = keyPair()
  const pkgDir = mkdtempSync(join(tmpdir(), 'rs-page-pkgs-'))
  const v110 = await makePackage(pkgDir, '1.1.0', signer.privateKey)
  const v120 = await makePackage(pkgDir, '1.2.0', signer.privateKey)

  // --- PostgreSQL, the broker with credentials, the api with auth, the model commands and the dashboard
  const store = await storeForTest()
  cleanups.push(() => store.close())
  const pool = new pg.Pool({ connectionString: store.url, max: 6 })
  cleanups.push(() => pool.end())
  const credentials = new PgCredentialStore(pool)
  await credentials.migrate()
  const broker = await startBroker({ host: '127.0.0.1', port: 0, credentials, log })
  cleanups.push(() => broker.close())
  const svc = await provisionService(credentials, 'api')
  const commands = await startModelCommands({ url: broker.url, username: svc.username, password: svc.password, clientId: 'rs-api-commands-page', log })
  cleanups.push(() => commands.close())
  const api = await startApi({ port: 0, queries: store.queries, bus: new LiveBus(), log, auth: { pool, jwtSecret: randomBytes(32), credentials, rateLimit: false }, models: { commands, publicKey: signer.publicKey } })
  cleanups.push(() => api.close())
  const auth = new AuthStore(pool)
  await auth.createTenant('acme', 'Acme')
  await auth.createUser({ username: 'acme-admin', tenant: 'acme', role: 'admin', password: PASSWORD })
  await auth.createUser({ username: 'acme-viewer', tenant: 'acme', role: 'viewer', password: PASSWORD })
  // the registry is shared by every tenant: the platform's admin publishes packages to it
  await auth.createUser({ username: 'root', tenant: null, role: 'admin', password: PASSWORD })
  const token = (await restJson(api.url, '/api/v1/auth/login', { body: { username: 'acme-admin', password: PASSWORD } })).body.token as string
  const platformToken = (await restJson(api.url, '/api/v1/auth/login', { body: { username: 'root', password: PASSWORD } })).body.token as string

  // --- three rigs, provisioned over REST, each a real agent with its diagnosis on the bundled package;
  // one stored frame each, so that the fleet view lists them as ingest would
  const edges = new Map<string, EdgeDiagnosis>()
  const t0 = (Math.floor(Date.now() / 1000) - 30) * 1e6
  await store.insert(RIGS.map(rig => frameBatch('acme', rig, 1, { windowStartUs: t0 })))
  for (const rig of RIGS) {
    const dev = await restJson(api.url, `/api/v1/rigs/acme/${rig}/device`, { token, body: {} })
    assert.equal(dev.status, 201, JSON.stringify(dev.body))
    const stateDir = mkdtempSync(join(tmpdir(), `rs-page-${rig}-`))
    const edge = await EdgeDiagnosis.start({ tenant: 'acme', rig, stateDir, log, baseModelDir: DEFAULT_MODEL_DIR, publicKey: signer.publicKey })
    // speed 1: no model cycle completes during the test (saves the 2 cores)
    const agent: Agent = await startAgent({ brokerUrl: broker.url, tenant: 'acme', rig, username: dev.body.username, password: dev.body.password, source: createUciReplay({ startUs: Math.floor(Date.now() / 1000) * 1e6 }), stateDir, speed: 1, log, extensions: [edge] })
    cleanups.push(() => agent.stop())
    edges.set(rig, edge)
  }
  for (const dir of [v110, v120]) assert.equal((await restJson(api.url, '/api/v1/models', { token: platformToken, body: uploadBody(dir) })).status, 201)
  assert.equal((await restJson(api.url, '/api/v1/tenants/acme/rig-groups/line-a', { token, method: 'PUT', body: { rigs: GROUP } })).status, 200)

  // --- the admin, on the page
  const browser = await launchChromium()
  cleanups.push(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1440, height: 1100 }, deviceScaleFactor: 1 })
  const pageErrors = pageErrorsOf(page)
  await page.goto(api.url)
  await fillLogin(page, 'acme-admin', PASSWORD)
  await page.waitForSelector('body[data-auth="in"]')
  for (const rig of RIGS) await page.waitForSelector(`.card[data-rig="acme/${rig}"]`)
  await page.click('#nav a[data-page="models"]')
  await page.waitForSelector('#models-page[data-loaded="true"][data-admin="true"]')
  assert.equal(await page.isVisible('#fleet'), false, 'the fleet page is hidden')
  // the registry: the bundled base and both uploads; the base (unsigned, installed with the agents) can be picked
  for (const v of [BUNDLED_VERSION, '1.1.0', '1.2.0']) await page.waitForSelector(`#registry tr[data-model="${MODEL_NAME}@${v}"]`)
  assert.equal(await page.$eval(`#rollout-model option[value="${MODEL_NAME}@${BUNDLED_VERSION}"]`, o => (o as HTMLOptionElement).disabled), false)

  // roll 1.1.0 out to the group: both rigs go active, the agents run it, press-3 is untouched
  const first = await rollOut(page, '1.1.0')
  await settles(page, first, GROUP, 'active')
  assert.deepEqual(await rowsOf(page, first), [['press-1', 'active', '1.1.0'], ['press-2', 'active', '1.1.0']])
  assert.match(await page.textContent(`.rollout[data-id="${first}"] .rollout-title`) ?? '', /1\.1\.0 → group line-a/)
  assert.equal(edges.get('press-1')!.models.version(), '1.1.0')
  assert.equal(edges.get('press-2')!.models.version(), '1.1.0')
  assert.equal(edges.get('press-3')!.models.version(), BUNDLED_VERSION)
  await page.waitForSelector('#model-versions tr[data-rig="press-1"][data-version="1.1.0"]', { timeout: 30_000 })

  // 1.2.0 to the group, then the page's roll back button (two clicks: arm, confirm)
  const second = await rollOut(page, '1.2.0')
  await settles(page, second, GROUP, 'active')
  assert.equal(edges.get('press-1')!.models.version(), '1.2.0')
  const button = page.locator(`.rollout[data-id="${second}"] button.rollback`)
  await button.click()
  assert.equal(await button.textContent(), 'Confirm roll back')
  await button.click()
  await page.waitForSelector(`.rollout[data-kind="rollback"]`)
  const back = await page.getAttribute('.rollout[data-kind="rollback"]', 'data-id')
  assert.ok(back)
  await settles(page, back, GROUP, 'active')
  assert.deepEqual(await rowsOf(page, back), [['press-1', 'active', '1.1.0'], ['press-2', 'active', '1.1.0']])
  assert.match(await page.textContent(`.rollout[data-id="${second}"]`) ?? '', new RegExp(`rolled back by #${back}`))
  assert.equal(await page.locator(`.rollout[data-id="${second}"] button.rollback`).count(), 0, 'no second roll back')
  assert.equal(edges.get('press-1')!.models.version(), '1.1.0')
  assert.equal(edges.get('press-2')!.models.version(), '1.1.0')
  // the page shows what the API stores
  const stored = await restJson(api.url, '/api/v1/tenants/acme/rollouts', { token })
  assert.deepEqual(stored.body.rollouts.map((r: { id: number }) => String(r.id)), [back, second, first])
  await page.waitForSelector('#model-versions tr[data-rig="press-2"][data-version="1.1.0"]', { timeout: 30_000 })
  mkdirSync(repoPath('tests', '.artifacts'), { recursive: true })
  await page.screenshot({ path: repoPath('tests', '.artifacts', 'models.png'), fullPage: true })
  assert.deepEqual(pageErrors, [])

  // --- a viewer: the registry and the versions, read-only
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const vpage = await ctx.newPage()
  const vErrors = pageErrorsOf(vpage)
  await vpage.goto(api.url + '/#models')
  await fillLogin(vpage, 'acme-viewer', PASSWORD)
  await vpage.waitForSelector('#models-page[data-loaded="true"][data-admin="false"]')
  await vpage.waitForSelector(`#registry tr[data-model="${MODEL_NAME}@1.2.0"]`)
  await vpage.waitForSelector('#model-versions tr[data-rig="press-1"][data-version="1.1.0"]')
  assert.equal(await vpage.isVisible('#rollout-form'), false)
  assert.equal(await vpage.isVisible('#rollouts'), false)
  assert.equal(await vpage.locator('.rollout').count(), 0)
  assert.equal(await vpage.locator('button.rollback').count(), 0)
  assert.match(await vpage.textContent('#models-page') ?? '', /read-only/)
  assert.deepEqual(vErrors, [])
  await ctx.close()
})
