// The built dashboard (dist/web, from `vite build cloud-api/web`) as cloud-api serves it, and what
// the api answers when the build is missing: a 503 that names the missing file and the command.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { installErrorHandlers } from '../src/http/errors.js'
import { registerStatic, WEB_DIR } from '../src/http/static.js'

async function appFor (webDir: string): Promise<{ app: ReturnType<typeof Fastify>, warnings: string[] }> {
  const warnings: string[] = []
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => { warnings.push(line) } } } })
  installErrorHandlers(app)
  await registerStatic(app, webDir)
  app.get('/api/v1/ping', async () => ({ ok: true }))
  await app.ready()
  return { app, warnings }
}

test('dist/web: the page is not cached, its hashed bundles are; the bundle has uPlot and the styles', { timeout: 30_000 }, async () => {
  const { app } = await appFor(WEB_DIR)
  try {
    const page = await app.inject({ url: '/' })
    assert.equal(page.statusCode, 200)
    assert.equal(page.headers['cache-control'], 'no-cache')
    assert.equal(page.body, readFileSync(join(WEB_DIR, 'index.html'), 'utf8'))
    const js = /<script type="module"[^>]* src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1]
    const css = /<link rel="stylesheet"[^>]* href="(\/assets\/[^"]+\.css)"/.exec(page.body)?.[1]
    assert.ok(js && css, `the built page links a bundle and a stylesheet under /assets/:\n${page.body}`)
    const bundle = await app.inject({ url: js })
    assert.equal(bundle.statusCode, 200)
    assert.equal(bundle.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.ok(!bundle.body.includes("from '/vendor/"), 'no import left for the browser to resolve')
    const styles = await app.inject({ url: css })
    assert.equal(styles.statusCode, 200)
    assert.match(styles.body, /\.uplot\b/, 'uPlot\'s stylesheet is bundled')
    assert.match(styles.body, /\.fleet\b/, 'the dashboard\'s stylesheet is bundled')
    assert.equal((await app.inject({ url: '/favicon.svg' })).statusCode, 200)
  } finally {
    await app.close()
  }
})

test('no build: GET / answers 503 RS_ERR_DASHBOARD_NOT_BUILT with the command, logged at start; the API still answers', { timeout: 30_000 }, async () => {
  const empty = mkdtempSync(join(tmpdir(), 'rs-web-'))
  const { app, warnings } = await appFor(empty)
  try {
    for (const url of ['/', '/index.html']) {
      const r = await app.inject({ url })
      assert.equal(r.statusCode, 503, url)
      const body = r.json()
      assert.equal(body.code, 'RS_ERR_DASHBOARD_NOT_BUILT')
      assert.ok(body.message.includes(join(empty, 'index.html')), body.message)
      assert.match(body.message, /npm run build/)
    }
    assert.equal((await app.inject({ url: '/api/v1/ping' })).statusCode, 200)
    assert.equal(warnings.filter(w => w.includes('RS_ERR_DASHBOARD_NOT_BUILT') && w.includes('npm run build')).length, 1)
  } finally {
    await app.close()
    rmSync(empty, { recursive: true, force: true })
  }
})
