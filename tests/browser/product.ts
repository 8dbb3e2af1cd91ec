// Shared by the browser tests that run the product as `npm start` runs it: the child process, what
// its banner prints (dashboard address, rigs, the demo login), Debian's Chromium, and the sign-in.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { repoPath } from '../../common/src/paths.js'

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'
export const skipBrowser = !existsSync(CHROMIUM) && process.env.RS_REQUIRE_BROWSER !== '1' ? `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` : false

export interface Started {
  child: ChildProcess
  out: () => string
  dashboard: string
  rigs: string[]
  /** the demo admin the banner printed */
  login: { username: string, password: string }
}

/**
 * Starts `rigstream start` (bin/rigstream.js) and resolves with what its banner printed. `env` is
 * added to the environment of a new user (no DATABASE_URL, no KAFKA_BROKERS; only the data
 * directory is ours, to start from nothing).
 */
export async function startProduct (dataDir: string, extraEnv: NodeJS.ProcessEnv = {}, opts: { ownProcessGroup?: boolean } = {}): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, RS_DATA_DIR: dataDir, RS_LOG_LEVEL: 'info', ...extraEnv }
  delete env.DATABASE_URL
  delete env.KAFKA_BROKERS
  const child = spawn(process.execPath, [repoPath('bin', 'rigstream.js'), 'start'], { cwd: repoPath(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.ownProcessGroup === true })
  let out = ''
  let stdout = ''
  child.stdout!.on('data', (d: Buffer) => { out += String(d); stdout += String(d) })
  child.stderr!.on('data', (d: Buffer) => { out += String(d) })
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 120 s; output:\n${out}`)), 120_000)
    const check = (): void => { if (/Ctrl-C stops/.test(stdout)) { clearTimeout(timer); resolve(stdout) } }
    child.stdout!.on('data', check)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`rigstream start exited with ${code}; output:\n${out}`)) })
  })
  const dashboard = /Dashboard\s+(http:\/\/\S+)/.exec(banner)?.[1]
  const rigs = /rigs streaming \(([^)]+)\)/.exec(banner)?.[1]?.split(',').map(s => s.trim())
  const login = /Log in as\s+(\S+)\s+password (\S+)/.exec(banner)
  assert.ok(dashboard, `the banner names the dashboard:\n${banner}`)
  assert.ok(rigs && rigs.length > 0, `the banner names the rigs:\n${banner}`)
  assert.ok(login, `the banner prints the demo login:\n${banner}`)
  return { child, out: () => out, dashboard, rigs, login: { username: login[1], password: login[2] } }
}

export async function launchChromium (): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
}

/** Fills the page's sign-in form and submits it. */
export async function fillLogin (page: Page, username: string, password: string): Promise<void> {
  await page.waitForSelector('#login-form:visible')
  await page.fill('#login-user', username)
  await page.fill('#login-pass', password)
  await page.click('#login-submit')
}

/** Collects the page's uncaught errors and console errors. */
export function pageErrorsOf (page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', err => errors.push(String(err)))
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()) })
  return errors
}

/** POST/GET against the product's REST API with a token. */
export async function restJson (base: string, path: string, o: { token?: string, method?: string, body?: unknown } = {}): Promise<{ status: number, body: any }> {
  const headers: Record<string, string> = {}
  if (o.token) headers.authorization = `Bearer ${o.token}`
  if (o.body !== undefined) headers['content-type'] = 'application/json'
  const r = await fetch(new URL(path, base), { method: o.method ?? (o.body !== undefined ? 'POST' : 'GET'), headers, body: o.body !== undefined ? JSON.stringify(o.body) : undefined })
  const text = await r.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch {}
  return { status: r.status, body }
}
