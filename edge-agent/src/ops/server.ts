// The agent's local operations endpoint (node:http, off unless ops.port is set, 127.0.0.1 by default):
//   GET /healthz  200 while the process runs, JSON summary (connection, model, last prediction)
//   GET /readyz   200 when connected to the broker, else 503
//   GET /metrics  Prometheus text format
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '../../../common/src/logger.js'
import type { Agent } from '../agent.js'
import type { EdgeDiagnosis } from '../diagnosis/service.js'
import { AGENT_VERSION } from '../version.js'
import { agentFamilies, render } from './metrics.js'

export interface OpsServerOptions {
  host: string
  /** 0 = a free port */
  port: number
  tenant: string
  rig: string
  log: Logger
}

export interface OpsServer {
  url: string
  port: number
  /** the agent is created after the server (its errors at start are then visible on /healthz) */
  setAgent (agent: Agent, edge?: EdgeDiagnosis): void
  close (): Promise<void>
}

export async function startOpsServer (o: OpsServerOptions): Promise<OpsServer> {
  const started = Date.now()
  let agent: Agent | undefined
  let edge: EdgeDiagnosis | undefined
  const constLabels = { tenant: o.tenant, rig: o.rig }

  function health (): Record<string, unknown> {
    const a = agent?.stats()
    const d = edge?.diagnosis.stats()
    const rt = edge?.models.runtime()
    return {
      status: a === undefined ? 'starting' : a.connected ? 'ok' : 'disconnected',
      agentVersion: AGENT_VERSION,
      tenant: o.tenant,
      rig: o.rig,
      uptimeS: Math.round((Date.now() - started) / 1000),
      // the node flags it runs with (edge-agent/src/node-flags.ts)
      node: { version: process.version, flags: process.execArgv },
      connected: a?.connected ?? false,
      seq: a?.seq ?? 0,
      spooled: a?.spooled ?? 0,
      model: rt ? { name: rt.manifest.name, version: rt.manifest.version, backend: rt.backend, provider: rt.provider } : null,
      lastPrediction: d?.lastPrediction ?? null,
      lastModelCommand: edge?.commands.last ?? null
    }
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    try {
      if (path === '/metrics') {
        const body = agent ? render(agentFamilies(agent, edge, started), constLabels) : ''
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body)
      } else if (path === '/healthz' || path === '/readyz') {
        const h = health()
        const code = path === '/readyz' && h.connected !== true ? 503 : 200
        res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(h))
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'RS_ERR_NOT_FOUND', message: `${path}: try /healthz, /readyz or /metrics` }))
      }
    } catch (err) {
      o.log.error({ err }, 'ops endpoint failed')
      res.writeHead(500).end()
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve() })
  })
  const port = (server.address() as AddressInfo).port
  const host = o.host.includes(':') ? `[${o.host}]` : o.host
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
  o.log.info({ url }, 'ops endpoint listening (/healthz, /readyz, /metrics)')
  return {
    url,
    port,
    setAgent (a, e) { agent = a; edge = e },
    close: () => new Promise<void>(resolve => { server.close(() => resolve()); server.closeAllConnections() })
  }
}
