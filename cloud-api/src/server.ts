/**
 * cloud-api: fastify REST under /api/v1, the live WebSocket at /ws, and the dashboard page at /.
 * Reads telemetry through TelemetryQueries (ingest's store) and pushes what the LiveBus carries.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify'
import fastifyWebsocket from '@fastify/websocket'
import type { TelemetryQueries } from '../../ingest/src/store/types.js'
import type { LiveBus } from '../../common/src/live.js'
import type { Logger } from '../../common/src/logger.js'
import { DEFAULT_PROFILE_ID } from '../../common/src/profile.js'
import { rsError } from '../../common/src/errors.js'
import { LiveHub, type LiveStats } from './live/hub.js'
import { anonymousAuthenticator, tenantAuthorizer, type Principal, type SocketAuthenticator, type SubscribeAuthorizer } from './live/authorize.js'
import { installErrorHandlers, errorBodySchema, clientErrorHandler } from './http/errors.js'
import { rigRoutes } from './http/routes/rigs.js'
import { metaRoutes } from './http/routes/meta.js'
import { modelRoutes } from './http/routes/models.js'
import { repoPath } from '../../common/src/paths.js'
import { registerStatic } from './http/static.js'
import { predictionRoutes } from './http/routes/predictions.js'
import { shadowRoutes } from './http/routes/shadow.js'
import type { PredictionStore } from '../../inference/src/worker/store.js'
import type { IngestStats } from '../../ingest/src/service.js'
import { MetricsRegistry } from '../../common/src/metrics.js'
import { installApiMetrics, registerIngestMetrics } from './metrics.js'
import { setupAuth, type ApiAuthOptions } from './auth/index.js'
import { installPrincipal } from './auth/guard.js'
import { openApiCollector, openApiRoutes } from './http/openapi.js'
import type { KeyObject } from 'node:crypto'
import type pg from 'pg'
import { ModelRegistry } from './models/registry.js'
import { RolloutService } from './models/rollouts.js'
import type { ModelCommands } from './models/commands.js'
import { rolloutRoutes } from './http/routes/rollouts.js'

export interface ApiOptions {
  host?: string
  /** 0 = a free port */
  port?: number
  queries: TelemetryQueries
  bus: LiveBus
  log: Logger
  profileId?: string
  live?: {
    /** display points per channel per second (default 20, as min/max pairs) */
    maxPointsPerSecond?: number
    /** per-client send buffer: frames dropped above softBytes (default 256 KiB), everything above hardBytes (1 MiB) */
    softBytes?: number
    hardBytes?: number
    heartbeatMs?: number
    /** frames pushed once 'committed' (default) or once 'accepted' by an in-process ingest (LiveHubOptions.frames) */
    frames?: 'committed' | 'accepted'
  }
  /** who opened the socket; null refuses the upgrade with 401. Default: the request's principal (from the JWT with auth, else anonymous, all tenants). */
  authenticateSocket?: SocketAuthenticator
  /** issue 7: may this principal watch this rig. Default: the principal's tenants. */
  authorizeSubscribe?: SubscribeAuthorizer
  /** operator accounts, tokens, tenant isolation, rate limits, audited admin routes (docs/api.md); absent = open API */
  auth?: ApiAuthOptions
  /** the process's Prometheus registry, served at GET /metrics (default: a new one) */
  metrics?: MetricsRegistry
  /** embedded mode: ingest's stats, exposed as rigstream_ingest_* on /metrics */
  ingestStats?: () => IngestStats
  /** model packages served to edge agents at /api/v1/models/<name>/<version>/<file> (default inference/models) */
  modelsDir?: string
  /**
   * Model registry (upload, list) and rollouts to rigs (docs/api.md, "Models and rollouts"); on
   * whenever there is a database: this pool, else auth's. Rollouts need `commands` (MQTT).
   */
  models?: {
    pool?: pg.Pool
    /** the api's MQTT client for model commands and their replies; absent = rollouts answer 503 */
    commands?: ModelCommands | null
    /** Ed25519 public key uploads must be signed with; absent = signatures not checked at upload */
    publicKey?: KeyObject
    /** base URL the agents reach this API at (default: the URL it listens on) */
    publicUrl?: string
  }
  /** issue 6: predictions, alerts and drift of the inference worker (routes absent without it) */
  predictions?: { store: PredictionStore, targets: readonly string[] }
}

export interface Api {
  url: string
  port: number
  app: FastifyInstance
  hub: LiveHub
  metrics: MetricsRegistry
  /** model rollouts (absent without a database) */
  rollouts?: RolloutService
  stats (): LiveStats
  close (): Promise<void>
}

/** Largest client → server WebSocket message; subscribe messages are a few hundred bytes. */
const WS_MAX_PAYLOAD = 64 * 1024
/** how often a live socket's account is checked again (its answers are cached 5 s anyway) */
const LIVE_RECHECK_MS = 5000
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

/** x-request-id from the caller when it is a plain token (so it cannot forge log lines), else a new UUID. */
function requestId (req: IncomingMessage): string {
  const h = req.headers['x-request-id']
  return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID()
}

export async function startApi (o: ApiOptions): Promise<Api> {
  // the caller passes its component logger (root.child({ component: 'api' })); fastify logs through
  // it, each request's lines bound to its reqId. fastify's own request lines are replaced by one
  // line per answered request, without the query string (the WebSocket may carry ?access_token=)
  const log = o.log
  const host = o.host ?? '127.0.0.1'
  const app: FastifyInstance = Fastify({ loggerInstance: log as FastifyBaseLogger, bodyLimit: 1024 * 1024, forceCloseConnections: true, genReqId: requestId, logController: new LogController({ disableRequestLogging: true }), clientErrorHandler })
  const hub = new LiveHub({
    bus: o.bus,
    log: log.child({ part: 'live' }),
    authorize: o.authorizeSubscribe ?? tenantAuthorizer,
    maxPointsPerSecond: o.live?.maxPointsPerSecond,
    limits: { softBytes: o.live?.softBytes, hardBytes: o.live?.hardBytes },
    heartbeatMs: o.live?.heartbeatMs,
    frames: o.live?.frames
  })
  try {
    hub.seedRigs(await o.queries.listRigs())
  } catch (err) {
    log.warn({ err }, 'could not list rigs at start; every rig will be announced as new')
  }

  app.addSchema(errorBodySchema)
  installErrorHandlers(app)
  const openApi = openApiCollector({ title: 'rigstream', version: 'v1', authEnabled: o.auth !== undefined, errorSchema: errorBodySchema })
  openApi.install(app)
  app.addHook('onSend', async (req, reply) => { reply.header('x-request-id', req.id) })
  app.addHook('onResponse', async (req, reply) => {
    req.log.info({ method: req.method, url: req.url.split('?')[0], statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, user: req.principal?.subject }, 'request completed')
  })
  const registry = o.metrics ?? new MetricsRegistry()
  const metrics = installApiMetrics(app, registry, () => hub.stats())
  if (o.ingestStats) registerIngestMetrics(registry, o.ingestStats)
  // the websocket plugin first: its onRequest hook marks an upgrade, and its onResponse hook
  // destroys the socket of an upgrade that was answered over HTTP instead (401, 429, 403). A
  // guard hook that throws before it runs would leave that socket open for good (and keep
  // app.close() waiting on it).
  await app.register(fastifyWebsocket, {
    options: { maxPayload: WS_MAX_PAYLOAD },
    // on close, the hub says goodbye first (1001 going away); the plugin's own default would
    // close every socket without a code (the client sees 1005) before our hooks ran
    preClose (done) {
      hub.close()
      for (const c of this.websocketServer.clients) c.close(1001, 'server shutting down')
      done()
    }
  })
  installPrincipal(app)
  const auth = o.auth ? await setupAuth(app, o.auth, metrics) : null

  let url = ''
  const modelsPool = o.models?.pool ?? o.auth?.pool
  const modelsDir = o.modelsDir ?? repoPath('inference', 'models')
  const modelRegistry = modelsPool ? new ModelRegistry({ pool: modelsPool, bundledDir: modelsDir, publicKey: o.models?.publicKey }) : undefined
  const rollouts = modelsPool && modelRegistry
    ? new RolloutService({ pool: modelsPool, registry: modelRegistry, commands: o.models?.commands ?? null, publicUrl: () => o.models?.publicUrl ?? url, log: log.child({ part: 'rollouts' }) })
    : undefined

  const principals = new WeakMap<FastifyRequest, Principal>()
  const authenticate = o.authenticateSocket ?? (auth ? (req: FastifyRequest) => req.principal : anonymousAuthenticator)
  app.get('/ws', {
    websocket: true,
    // runs before the upgrade, so a refused client gets a plain HTTP 401
    preValidation: async req => {
      const p = await authenticate(req)
      if (!p) throw rsError('RS_ERR_AUTH', 'WebSocket needs a valid token')
      principals.set(req, p)
    }
  }, (socket, req) => {
    const p = principals.get(req)!
    hub.attach(socket, p, (req.query as Record<string, unknown> | undefined)?.batch === '1')
    req.log.info({ url: '/ws', user: p.subject }, 'live socket opened')
    if (p.expiresAtMs !== undefined) {
      // a socket lives no longer than its token: 4401 tells the client to log in again
      const t = setTimeout(() => socket.close(4401, 'token expired'), Math.max(0, p.expiresAtMs - Date.now()))
      t.unref()
      socket.once('close', () => clearTimeout(t))
    }
  })
  if (auth) {
    // a socket lives no longer than its account either: disabled, removed, role or tenant changed
    const recheck = (only?: string): void => {
      for (const { socket, principal: p } of hub.connected()) {
        if (p.role === undefined || (only !== undefined && p.subject !== only)) continue
        auth.recheck(p).then(why => {
          if (why && socket.readyState === socket.OPEN) {
            log.info({ user: p.subject, why }, 'live socket closed: its account changed')
            socket.close(4401, why.slice(0, 120))
          }
        }, (err: unknown) => log.warn({ err, user: p.subject }, 'could not recheck a live socket\'s account; it stays open'))
      }
    }
    auth.onUserChanged(u => recheck(u))
    const every = setInterval(() => recheck(), LIVE_RECHECK_MS)
    every.unref()
    app.addHook('onClose', async () => { clearInterval(every) })
  }

  await app.register(async api => {
    await api.register(rigRoutes, { queries: o.queries, statusOf: (t, r) => hub.lastStatus(t, r) })
    await api.register(metaRoutes, { profileId: o.profileId ?? DEFAULT_PROFILE_ID, wsClients: () => hub.stats().wsClients, features: { auth: auth !== null, predictions: o.predictions !== undefined } /* issue 7: the dashboard reads these */ })
    if (o.predictions) await api.register(predictionRoutes, o.predictions)
    if (o.predictions) await api.register(shadowRoutes, { store: o.predictions.store }) // issue 6: shadow candidate's score
    await api.register(modelRoutes, { modelsDir, registry: modelRegistry, pool: modelsPool })
    if (rollouts && modelsPool) await api.register(rolloutRoutes, { rollouts, pool: modelsPool })
    if (auth) await auth.routes(api)
    await api.register(openApiRoutes, { collector: openApi })
  }, { prefix: '/api/v1' })
  await registerStatic(app)

  await app.listen({ host, port: o.port ?? 0 })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  url = `http://${shown}:${port}`
  log.info({ url }, 'cloud-api listening')
  return {
    url,
    port,
    app,
    hub,
    metrics: registry,
    rollouts,
    stats: () => hub.stats(),
    close: async () => { await app.close() }
  }
}
