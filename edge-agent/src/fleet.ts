// Many agents in one process, for demos, tests and benches: one MQTT session per rig.
import type { Logger } from '../../common/src/logger.js'
import { startAgent, type Agent, type AgentOptions, type AgentStats } from './agent.js'
import type { RigSource } from './sources/types.js'

export interface FleetRig {
  rig: string
  username?: string
  password?: string
  source: RigSource
}

export interface FleetOptions {
  brokerUrl: string
  tenant: string
  rigs: FleetRig[]
  /** each agent keeps its state (seq, disk spool) in stateDir/<tenant>/<rig>/ */
  stateDir: string
  speed?: number
  log: Logger
  maxInflight?: number
  /** passed to every agent (docs/edge.md) */
  spoolOptions?: AgentOptions['spoolOptions']
  backoff?: AgentOptions['backoff']
  publishRate?: number
  timeUrl?: string
}

export interface FleetStats {
  published: number
  acked: number
  perRig: Record<string, AgentStats>
}

export interface Fleet {
  stats (): FleetStats
  stop (): Promise<void>
}

export async function startFleet (opts: FleetOptions): Promise<Fleet> {
  const agents = new Map<string, Agent>()
  try {
    for (const r of opts.rigs) {
      if (agents.has(r.rig)) throw new Error(`fleet: rig ${r.rig} appears twice`)
      agents.set(r.rig, await startAgent({
        brokerUrl: opts.brokerUrl,
        tenant: opts.tenant,
        rig: r.rig,
        username: r.username,
        password: r.password,
        source: r.source,
        stateDir: opts.stateDir,
        speed: opts.speed,
        maxInflight: opts.maxInflight,
        spoolOptions: opts.spoolOptions,
        backoff: opts.backoff,
        publishRate: opts.publishRate,
        timeUrl: opts.timeUrl,
        log: opts.log
      }))
    }
  } catch (err) {
    await Promise.all([...agents.values()].map(a => a.stop()))
    throw err
  }
  opts.log.info({ tenant: opts.tenant, rigs: agents.size, speed: opts.speed ?? 1 }, 'fleet started')
  return {
    stats (): FleetStats {
      const perRig: Record<string, AgentStats> = {}
      let published = 0
      let acked = 0
      for (const [rig, a] of agents) {
        const s = a.stats()
        perRig[rig] = s
        published += s.published
        acked += s.acked
      }
      return { published, acked, perRig }
    },
    async stop (): Promise<void> {
      await Promise.all([...agents.values()].map(a => a.stop()))
    }
  }
}
