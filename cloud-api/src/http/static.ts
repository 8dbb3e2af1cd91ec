// The dashboard: built by Vite from cloud-api/web into dist/web (`npm run build`; `npm ci` builds it
// through prepare). Its hashed bundles under /assets/ are cached for a year (a new build names new
// files); index.html is not cached. When dist/web has no index.html the api logs so at start and
// GET / answers 503 RS_ERR_DASHBOARD_NOT_BUILT saying how to build it, instead of a bare 404; the
// REST API and the WebSocket work either way.
import { existsSync } from 'node:fs'
import { join, sep } from 'node:path'
import type { FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import { ERRORS } from '../../../common/src/errors.js'
import { repoPath } from '../../../common/src/paths.js'

/** Where the built dashboard is served from. */
export const WEB_DIR = repoPath('dist', 'web')

export async function registerStatic (app: FastifyInstance, webDir: string = WEB_DIR): Promise<void> {
  const index = join(webDir, 'index.html')
  if (!existsSync(index)) {
    const how = `${index} is missing; run \`npm run build\` in ${repoPath()} and reload`
    app.log.warn({ code: 'RS_ERR_DASHBOARD_NOT_BUILT', webDir }, `the dashboard is not built: ${how}`)
    // answered here, not thrown: the error handler would log every page load as a failed request
    const body = { statusCode: 503, code: 'RS_ERR_DASHBOARD_NOT_BUILT', error: 'Service Unavailable', message: `${ERRORS.RS_ERR_DASHBOARD_NOT_BUILT.message}: ${how}` }
    for (const url of ['/', '/index.html']) app.get(url, { config: { public: true } }, async (_req, reply) => reply.code(503).send(body))
    return
  }
  const assets = join(webDir, 'assets') + sep
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (res, path) => {
      res.header('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache')
    }
  })
}
