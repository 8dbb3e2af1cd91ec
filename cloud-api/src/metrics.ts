/**
 * The api process's Prometheus series (GET /metrics): HTTP requests, WebSocket clients and the
 * live hub's counters, auth failures and rate-limit refusals, and, in embedded mode, ingest's
 * stats read at scrape time (ingest/src/metrics.ts). Names are listed in docs/api.md.
 */
import type { FastifyInstance } from 'fastify'
import { MetricsRegistry, registerProcessMetrics, PROMETHEUS_CONTENT_TYPE, type Counter } from '../../common/src/metrics.js'
import type { LiveStats } from './live/hub.js'

/** Request durations in seconds: 1 ms .. 10 s. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]

export interface ApiMetrics {
  registry: MetricsRegistry
  authFailures: Counter
  rateLimited: Counter
}

/** Series of the HTTP server (hooks on `app`) and of the live hub. */
export function installApiMetrics (app: FastifyInstance, registry: MetricsRegistry, live: () => LiveStats): ApiMetrics {
  if (!registry.has('process_resident_memory_bytes')) registerProcessMetrics(registry)
  const requests = registry.counter('rigstream_api_http_requests_total', 'HTTP requests answered, by method, route pattern and status code.')
  const duration = registry.histogram('rigstream_api_http_request_duration_seconds', 'Time to answer an HTTP request, by method and route pattern.', DURATION_BUCKETS)
  const authFailures = registry.counter('rigstream_api_auth_failures_total', 'Requests refused for a missing, bad or expired token, and failed logins, by reason.')
  const rateLimited = registry.counter('rigstream_api_rate_limited_total', 'Requests refused by a rate limit (HTTP 429).')
  registry.collect('rigstream_api_ws_clients', 'Open live WebSocket connections.', 'gauge', () => live().wsClients)
  registry.collect('rigstream_api_ws_subscriptions', 'Rig subscriptions over all live WebSocket connections.', 'gauge', () => live().subscriptions)
  registry.collect('rigstream_api_ws_frames_sent_total', 'Frames messages pushed to WebSocket clients.', 'counter', () => live().framesSent)
  registry.collect('rigstream_api_ws_frames_dropped_total', 'Frames messages dropped for slow WebSocket clients (backpressure).', 'counter', () => live().framesDropped)

  app.addHook('onResponse', async (req, reply) => {
    // the route pattern, never the URL: ids in paths would make one series per rig
    const route = req.routeOptions.url ?? 'unmatched'
    requests.inc({ method: req.method, route, status: String(reply.statusCode) })
    duration.observe(reply.elapsedTime / 1000, { method: req.method, route })
  })
  app.get('/metrics', { config: { public: true } }, async (_req, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(registry.render()))
  return { registry, authFailures, rateLimited }
}

export { registerIngestMetrics } from '../../ingest/src/metrics.js'
