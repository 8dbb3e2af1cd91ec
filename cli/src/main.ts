// rigstream <command>: one entry for every part. Each command module exports `run(argv)`.
const commands: Record<string, { describe: string, load: () => Promise<{ run: (argv: string[]) => Promise<void> }> }> = {
  start: { describe: 'everything in one process (broker, ingest, api, dashboard, demo rigs)', load: async () => await import('./start.js') },
  up: { describe: 'headless run for scripts: --rigs N --duration S --summary json', load: async () => await import('./up.js') },
  broker: { describe: 'the MQTT broker (aedes) with device authentication', load: async () => await import('../../broker/src/cli.js') },
  ingest: { describe: 'MQTT -> PostgreSQL (+ Kafka) ingest service', load: async () => await import('../../ingest/src/cli.js') },
  migrate: { describe: 'run database migrations', load: async () => await import('../../ingest/src/store/migrate-cli.js') },
  api: { describe: 'REST + WebSocket API and dashboard', load: async () => await import('../../cloud-api/src/cli.js') },
  audit: { describe: 'audit log tools: audit verify (recomputes the hash chain)', load: async () => await import('../../cloud-api/src/auth/audit-cli.js') },
  agent: { describe: 'edge agent for one rig: --config <file>', load: async () => await import('../../edge-agent/src/cli.js') },
  worker: { describe: 'cloud inference worker: Kafka rs.frames.v1 -> predictions (PostgreSQL, rs.predictions.v1)', load: async () => await import('../../inference/src/worker/cli.js') },
  model: { describe: 'model tools: model eval | sign | keygen | deploy', load: async () => await import('./model.js') }
}

export async function run (argv: string[]): Promise<void> {
  const [name, ...rest] = argv
  const cmd = name ? commands[name] : undefined
  if (!cmd) {
    const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.describe}`)
    process.stderr.write(`usage: rigstream <command> [options]\n\ncommands:\n${lines.join('\n')}\n`)
    process.exitCode = name ? 2 : 0
    return
  }
  try {
    await (await cmd.load()).run(rest)
  } catch (err) {
    const e = err as { code?: string, message?: string }
    process.stderr.write(`rigstream ${name}: ${e.code ? e.code + ': ' : ''}${e.message ?? String(err)}\n`)
    process.exitCode = 1
  }
}
