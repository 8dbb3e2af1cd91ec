// One rig's edge agent as its own process, for fault tests: node agent-proc.js '<json AgentProcOptions>'.
// The real startAgent with the default disk spool in stateDir and a simulator source. Prints its
// stats as one line "STATS {json}" every 250 ms and once more after a graceful stop (SIGTERM);
// pino logs go to stdout as JSON lines too.
import { createRootLogger } from '../../common/src/logger.js'
import { startAgent } from '../../edge-agent/src/agent.js'
import { createSimulator } from '../../edge-agent/src/sources/simulator.js'
import type { BackoffOptions } from '../../edge-agent/src/connection.js'

export interface AgentProcOptions {
  brokerUrl: string
  tenant: string
  rig: string
  stateDir: string
  username?: string
  password?: string
  speed: number
  seed: number
  /** rig-clock time of the first window, µs */
  startUs: number
  publishRate?: number
  backoff?: BackoffOptions
  maxFrames?: number
  timeUrl?: string
}

const o = JSON.parse(process.argv[2]) as AgentProcOptions
const log = createRootLogger({ level: process.env.RS_LOG_LEVEL ?? 'warn' }).child({ component: 'edge-agent' })
const agent = await startAgent({
  brokerUrl: o.brokerUrl,
  tenant: o.tenant,
  rig: o.rig,
  stateDir: o.stateDir,
  username: o.username,
  password: o.password,
  speed: o.speed,
  source: createSimulator({ seed: o.seed, startUs: o.startUs }),
  log,
  publishRate: o.publishRate,
  backoff: o.backoff,
  timeUrl: o.timeUrl,
  spoolOptions: o.maxFrames === undefined ? undefined : { maxFrames: o.maxFrames }
})
const report = (): void => { process.stdout.write(`STATS ${JSON.stringify(agent.stats())}\n`) }
const timer = setInterval(report, 250)
process.once('SIGTERM', () => {
  clearInterval(timer)
  agent.stop().then(() => { report(); process.exit(0) }, (err: unknown) => { console.error(err); process.exit(1) })
})
