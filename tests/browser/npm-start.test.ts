// Issue 2, "tried as a new user would": the product as `npm start` runs it (bin/rigstream.js start,
// a real child process on its embedded defaults: embedded PostgreSQL, aedes, ingest, api and the
// demo fleet), opened in Debian's Chromium from the address it prints. The fleet view must list
// every rig it says is streaming, and their charts must grow while we watch. Ctrl-C (SIGINT) then
// stops it cleanly with exit code 0. Saves tests/.artifacts/npm-start.png (docs/dashboard.png is a
// copy of one such screenshot).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { repoPath } from '../../common/src/paths.js'

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'
const skip = !existsSync(CHROMIUM) && process.env.RS_REQUIRE_BROWSER !== '1' ? `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` : false

interface Started { child: ChildProcess, out: () => string, dashboard: string, rigs: string[] }

/** Starts `rigstream start` and resolves with what its banner printed. */
async function startProduct (dataDir: string): Promise<Started> {
  // the environment of a new user: no DATABASE_URL, no KAFKA_BROKERS, default ports (taken ones are
  // replaced by free ones and said so). Only the data directory is ours, to start from nothing.
  const env: NodeJS.ProcessEnv = { ...process.env, RS_DATA_DIR: dataDir, RS_LOG_LEVEL: 'info' }
  delete env.DATABASE_URL
  delete env.KAFKA_BROKERS
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'start'], { cwd: repoPath(), env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out += String(d) })
  child.stderr!.on('data', (d: Buffer) => { out += String(d) })
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 120 s; output:\n${out}`)), 120_000)
    const check = (): void => { if (/Ctrl-C stops/.test(out)) { clearTimeout(timer); resolve(out) } }
    child.stdout!.on('data', check)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`rigstream start exited with ${code}; output:\n${out}`)) })
  })
  const dashboard = /Dashboard\s+(http:\/\/\S+)/.exec(banner)?.[1]
  const rigs = /rigs streaming \(([^)]+)\)/.exec(banner)?.[1]?.split(',').map(s => s.trim())
  assert.ok(dashboard, `the banner names the dashboard:\n${banner}`)
  assert.ok(rigs && rigs.length > 0, `the banner names the rigs:\n${banner}`)
  return { child, out: () => out, dashboard, rigs }
}

test('npm start on its embedded defaults: the printed dashboard shows every rig streaming live; Ctrl-C stops it cleanly', { skip, timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rs-npm-start-')) // private (0700): as root, PostgreSQL's data goes elsewhere, and it says so
  after(() => rmSync(dataDir, { recursive: true, force: true }))
  const p = await startProduct(dataDir)
  after(() => { if (p.child.exitCode === null) p.child.kill('SIGKILL') })

  // Kafka's absence is said exactly once; the addresses printed are the ones in use
  assert.equal(p.out().match(/Kafka disabled/g)?.length, 1, 'Kafka absence said once')
  assert.match(p.out(), /Kafka\s+off \(set KAFKA_BROKERS to enable\)/)

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  after(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 })
  const pageErrors: string[] = []
  page.on('pageerror', err => pageErrors.push(String(err)))
  page.on('console', m => { if (m.type() === 'error') pageErrors.push(m.text()) })

  await page.goto(p.dashboard)
  await page.waitForSelector('body[data-ws="open"]')
  // every rig the banner named gets a card, and goes live (frames stored by ingest, pushed over the WebSocket)
  for (const rig of p.rigs) await page.waitForSelector(`.card[data-rig="demo/${rig}"] .pill[data-status="live"]`, { timeout: 60_000 })
  assert.equal(await page.textContent('#fleet-count'), `${p.rigs.length} rigs`)
  // and their charts grow while we watch: every card gains points within a few seconds
  const points = async (rig: string): Promise<number> => Number(await page.getAttribute(`.card[data-rig="demo/${rig}"]`, 'data-points') ?? '0')
  const before = new Map<string, number>()
  for (const rig of p.rigs) before.set(rig, await points(rig))
  for (const rig of p.rigs) {
    await page.waitForFunction(({ sel, n }) => Number(document.querySelector(sel)?.getAttribute('data-points') ?? 0) > n,
      { sel: `.card[data-rig="demo/${rig}"]`, n: before.get(rig)! }, { timeout: 30_000 })
  }
  // the selected rig's detail charts a fast channel live
  const sim = p.rigs.find(r => r.startsWith('sim-'))!
  await page.click(`.card[data-rig="demo/${sim}"]`)
  await page.waitForSelector('.chart[data-channel="PS1"]')
  const ps1 = Number(await page.getAttribute('.chart[data-channel="PS1"]', 'data-points') ?? '0')
  await page.waitForFunction((n) => Number(document.querySelector('.chart[data-channel="PS1"]')?.getAttribute('data-points') ?? 0) > n, ps1, { timeout: 30_000 })
  // rig state arrives from the agents' birth messages
  await page.waitForFunction(() => document.querySelectorAll('.card .pill[data-status="live"]').length > 0)
  await new Promise(resolve => setTimeout(resolve, 3000)) // a few more seconds of chart for the screenshot
  mkdirSync(repoPath('tests', '.artifacts'), { recursive: true })
  await page.screenshot({ path: repoPath('tests', '.artifacts', 'npm-start.png') })
  assert.deepEqual(pageErrors, [])

  // Ctrl-C: drains and exits 0
  const code = await new Promise<number | null>(resolve => { p.child.once('exit', c => resolve(c)); p.child.kill('SIGINT') })
  assert.equal(code, 0, `exit code after SIGINT; output tail:\n${p.out().slice(-2000)}`)
  assert.match(p.out(), /ingest stopped/)
})
