// rigstream agent --config <file> [--broker URL --tenant T --rig R --source replay|simulator --seed N --speed X ...]
import { parseArgs } from 'node:util'
import { rsError } from '../../common/src/errors.js'
import { createRootLogger } from '../../common/src/logger.js'
import { startAgent } from './agent.js'
import { CONFIG_FLAGS, loadAgentConfig, type AgentConfig } from './config.js'
import { EdgeDiagnosis } from './diagnosis/service.js'
import { startOpsServer, type OpsServer } from './ops/server.js'
import { createSimulator } from './sources/simulator.js'
import { createUciReplay } from './sources/uci-replay.js'
import type { RigSource } from './sources/types.js'

const USAGE = `usage: rigstream agent [--config <file.json>] [options]

Streams one rig's frames to an MQTT broker (QoS 1, FrameBatch on rs/v1/<tenant>/<rig>/frames).
Settings come from the config file, then RS_AGENT_* environment variables, then these flags:
  --broker <url>         mqtt://host:port (RS_AGENT_BROKER)              required
  --tenant <id>          tenant id (RS_AGENT_TENANT)                       required
  --rig <id>             rig id (RS_AGENT_RIG)                             required
  --username <name>      device user name (RS_AGENT_USERNAME); password: RS_AGENT_PASSWORD or the file
  --client-id <id>       MQTT client id, stable across restarts (default rs-agent-<tenant>-<rig>)
  --state-dir <dir>      where the seq is kept (default .rigstream/agent)
  --source <kind>        simulator (default) | replay
  --seed <n>             simulator seed (default 1)
  --faults <list>        simulator faults, e.g. cooler=20,valve=90,pump=1,accumulator=115
  --replay-dir <dir>     replay folder (default edge-agent/data/uci-hydraulic)
  --start-cycle <n>      replay: first cycle number
  --loop <bool>          replay: start again after the last cycle (default true)
  --speed <x>            1 = real time (default), N = N times faster, 0 = as fast as acks allow
  --max-inflight <n>     unacknowledged frames at most (default 64)
  --spool-fsync <p>      disk spool: always (default: power-cut safe) | interval | never
  --spool-max-frames <n> / --spool-max-bytes <n>   spool bounds (oldest unsent dropped beyond)
  --publish-rate <n>     frames/s at most when catching up after an outage
  --time-url <url>       HTTP(S) URL whose Date header is server time (clock-drift report)
Local diagnosis and model updates:
  --model-enabled <bool> diagnose every load cycle on the gateway (default true)
  --model-dir <dir>      model package used until an update is active (default: the reference package)
  --model-backend <b>    ts (default: TypeScript evaluator, else auto) | auto (onnxruntime-node, else WASM) | node | web
  --model-public-key <f> Ed25519 public key (PEM) updates must be signed with; unset = updates refused
  --model-update-url <u> cloud-api model packages, e.g. https://api.example.com/api/v1/models
  --alert-confirm-cycles <n>   cycles a new condition must hold before an alert (default 2)
  --alert-min-probability <p>  least class probability that counts (default 0.6)
Operations:
  --ops-port <n>         /healthz, /readyz, /metrics on this port (default: off; 0 = a free port)
  --ops-host <addr>      listen address of that endpoint (default 127.0.0.1)
  --duration <s>         stop after s seconds (default: run until SIGINT/SIGTERM)
`

export async function run (argv: string[]): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, duration: { type: 'string' }, help: { type: 'boolean' } }
  for (const f of CONFIG_FLAGS) options[f] = { type: 'string' }
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', `${(err as Error).message}\n${USAGE}`)
  }
  if (values.help === true) {
    process.stdout.write(USAGE)
    return
  }
  const { config: file, duration, help: _help, ...flags } = values as Record<string, string | undefined>
  const durationS = duration === undefined ? undefined : Number(duration)
  if (durationS !== undefined && !(durationS > 0)) throw rsError('RS_ERR_CONFIG', `--duration must be a number of seconds > 0, got ${JSON.stringify(duration)}`)
  const cfg = loadAgentConfig({ file, flags })

  const log = createRootLogger().child({ component: 'edge-agent' })
  let ops: OpsServer | undefined
  if (cfg.ops.port !== undefined) ops = await startOpsServer({ host: cfg.ops.host, port: cfg.ops.port, tenant: cfg.tenant, rig: cfg.rig, log })
  const edge = cfg.model.enabled
    ? await EdgeDiagnosis.start({
      tenant: cfg.tenant,
      rig: cfg.rig,
      stateDir: cfg.stateDir,
      log,
      baseModelDir: cfg.model.dir,
      backend: cfg.model.backend,
      publicKey: cfg.model.publicKey,
      updateBaseUrl: cfg.model.updateBaseUrl,
      alerts: cfg.alerts
    })
    : undefined
  const agent = await startAgent({
    brokerUrl: cfg.broker,
    tenant: cfg.tenant,
    rig: cfg.rig,
    username: cfg.username,
    password: cfg.password,
    clientId: cfg.clientId,
    source: createSource(cfg),
    stateDir: cfg.stateDir,
    speed: cfg.speed,
    maxInflight: cfg.maxInflight,
    spoolOptions: { fsync: cfg.spool.fsync, maxFrames: cfg.spool.maxFrames, maxBytes: cfg.spool.maxBytes },
    publishRate: cfg.publishRate,
    timeUrl: cfg.timeUrl,
    log,
    extensions: edge ? [edge] : []
  })
  ops?.setAgent(agent, edge)
  log.info({ broker: cfg.broker, tenant: cfg.tenant, rig: cfg.rig, source: cfg.source.kind, speed: cfg.speed, stateDir: cfg.stateDir, model: edge?.models.version() ?? null, ops: ops?.url ?? null }, 'agent started')

  await new Promise<void>(resolve => {
    const done = (): void => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      clearTimeout(timer)
      resolve()
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
    const timer = durationS === undefined ? undefined : setTimeout(done, durationS * 1000)
  })
  await agent.stop()
  await ops?.close()
  const s = agent.stats()
  log.info({ published: s.published, acked: s.acked, lastSeq: s.seq, dropped: s.dropped }, 'agent exited')
}

/** The rig clock starts at the current whole second, so windows line up with wall-clock seconds. */
export function createSource (cfg: Readonly<AgentConfig>, nowMs = Date.now()): RigSource {
  const startUs = Math.floor(nowMs / 1000) * 1_000_000
  if (cfg.source.kind === 'replay') return createUciReplay({ dir: cfg.source.dir, startCycle: cfg.source.startCycle, loop: cfg.source.loop, startUs })
  return createSimulator({ seed: cfg.source.seed, startUs, faults: cfg.source.faults })
}
