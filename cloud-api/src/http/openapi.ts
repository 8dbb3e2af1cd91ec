/**
 * The OpenAPI 3.1 document, built from the routes' own JSON schemas as they are registered (so it
 * cannot drift from what ajv validates), served at GET /api/v1/openapi.json; GET /api/v1/docs is a
 * plain HTML index of it. OpenAPI 3.1 takes JSON Schema as is, so the schemas are copied verbatim
 * apart from `$ref: 'rs.error#'`, which points into components.
 */
import type { FastifyInstance, RouteOptions } from 'fastify'

interface Operation { method: string, path: string, schema: Record<string, any>, summary?: string, isPublic: boolean, role?: string, platform?: boolean }

function refs (v: unknown): unknown {
  if (Array.isArray(v)) return v.map(refs)
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) o[k] = k === '$ref' && x === 'rs.error#' ? '#/components/schemas/Error' : refs(x)
    return o
  }
  return v
}

function parameters (s: Record<string, any> | undefined, where: 'path' | 'query'): unknown[] {
  if (!s?.properties) return []
  const required = new Set<string>(s.required ?? [])
  return Object.entries(s.properties as Record<string, unknown>).map(([name, schema]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: refs(schema) }))
}

export interface OpenApiCollector {
  /** register before the routes (it listens to onRoute) */
  install (app: FastifyInstance): void
  document (): Record<string, unknown>
}

export function openApiCollector (info: { title: string, version: string, authEnabled: boolean, errorSchema: unknown }): OpenApiCollector {
  const ops: Operation[] = []
  let doc: Record<string, unknown> | undefined
  return {
    install (app) {
      app.addHook('onRoute', (r: RouteOptions) => {
        const methods = Array.isArray(r.method) ? r.method : [r.method]
        const url = r.url
        if (!url || url.includes('*') || (!url.startsWith('/api/') && url !== '/ws' && url !== '/metrics')) return
        for (const m of methods) {
          if (m === 'HEAD') continue
          const cfg = (r.config ?? {}) as { public?: boolean, role?: string, platform?: boolean, summary?: string }
          ops.push({ method: m.toLowerCase(), path: url, schema: (r.schema ?? {}) as Record<string, any>, summary: cfg.summary, isPublic: cfg.public === true || url === '/metrics' || url.startsWith('/api/v1/models/'), role: cfg.role, platform: cfg.platform })
        }
        doc = undefined
      })
    },
    document () {
      if (doc) return doc
      const paths: Record<string, Record<string, unknown>> = {}
      for (const op of ops) {
        const path = op.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
        const s = op.schema
        const responses: Record<string, unknown> = {}
        for (const [code, body] of Object.entries((s.response ?? {}) as Record<string, any>)) {
          responses[code] = body?.type === 'null' ? { description: 'no content' } : { description: code.startsWith('2') ? 'success' : 'error', content: { 'application/json': { schema: refs(body) } } }
        }
        if (Object.keys(responses).length === 0) responses['200'] = { description: 'success' }
        const notes: string[] = []
        if (info.authEnabled && !op.isPublic) notes.push(op.platform ? 'Platform admin only.' : `Least role: ${op.role ?? (op.method === 'get' ? 'viewer' : 'operator')}.`)
        const o: Record<string, unknown> = {
          summary: op.summary ?? `${op.method.toUpperCase()} ${op.path}`,
          ...(notes.length ? { description: notes.join(' ') } : {}),
          parameters: [...parameters(s.params, 'path'), ...parameters(s.querystring, 'query')],
          responses
        }
        if (op.path === '/ws') o.summary = 'Live WebSocket (upgrade); token as Authorization: Bearer or ?access_token='
        if (op.path === '/metrics') o.summary = 'Prometheus metrics (text format 0.0.4)'
        if (s.body) o.requestBody = { required: true, content: { 'application/json': { schema: refs(s.body) } } }
        if (info.authEnabled) o.security = op.isPublic ? [] : [{ bearerAuth: [] }]
        paths[path] = { ...paths[path], [op.method]: o }
      }
      doc = {
        openapi: '3.1.0',
        info: { title: info.title, version: info.version },
        servers: [{ url: '/' }],
        paths,
        components: {
          schemas: { Error: refs(info.errorSchema) },
          ...(info.authEnabled ? { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } : {})
        }
      }
      return doc
    }
  }
}

function escapeHtml (s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** GET /api/v1/openapi.json and GET /api/v1/docs, on the /api/v1 plugin. */
export async function openApiRoutes (app: FastifyInstance, o: { collector: OpenApiCollector }): Promise<void> {
  app.get('/openapi.json', { config: { public: true, summary: 'This OpenAPI document' } }, async () => o.collector.document())
  app.get('/docs', { config: { public: true, summary: 'Route index (HTML)' } }, async (_req, reply) => {
    const d = o.collector.document() as { info: { title: string, version: string }, paths: Record<string, Record<string, { summary: string, description?: string }>> }
    const rows = Object.entries(d.paths).flatMap(([p, ms]) => Object.entries(ms).map(([m, op]) =>
      `<tr><td><code>${m.toUpperCase()}</code></td><td><code>${escapeHtml(p)}</code></td><td>${escapeHtml(op.summary)}${op.description ? ' <em>' + escapeHtml(op.description) + '</em>' : ''}</td></tr>`))
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><meta charset="utf-8"><title>${escapeHtml(d.info.title)} API</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}td{padding:.2em .8em;border-bottom:1px solid #ddd;vertical-align:top}</style>
<h1>${escapeHtml(d.info.title)} API ${escapeHtml(d.info.version)}</h1><p>Machine-readable: <a href="openapi.json">openapi.json</a>. Guide: docs/api.md.</p>
<table>${rows.join('\n')}</table>`)
  })
}
