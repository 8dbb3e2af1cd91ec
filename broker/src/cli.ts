// `rigstream broker`: the MQTT broker on its own, with credentials in PostgreSQL;
// `rigstream broker provision ...`: issue a device's or a service account's credentials.
import pg from 'pg'
import { createRootLogger, type Logger } from '../../common/src/logger.js'
import { RigstreamError } from '../../common/src/errors.js'
import { preferPort } from '../../common/src/net.js'
import { readBrokerConfig, USAGE, type ServeConfig, type ProvisionConfig } from './config.js'
import { PgCredentialStore, provisionDevice, provisionService } from './credentials.js'
import { startBroker } from './server.js'

export interface CliIo {
  env: NodeJS.ProcessEnv
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  /** serve runs until this aborts (`run` aborts it on SIGINT / SIGTERM) */
  signal: AbortSignal
  log?: Logger
  /** called once the broker listens (tests) */
  onListening?: (urls: { url: string, wsUrl: string | null }) => void
}

export async function run (argv: string[]): Promise<void> {
  const stop = new AbortController()
  const onSignal = (): void => { stop.abort() }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    process.exitCode = await main(argv, { env: process.env, stdout: process.stdout, stderr: process.stderr, signal: stop.signal })
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Returns the exit code: 0 done, 2 bad arguments or configuration, 1 anything else. */
export async function main (argv: string[], io: CliIo): Promise<number> {
  try {
    const config = readBrokerConfig(argv, io.env)
    if (config.command === 'help') { io.stdout.write(USAGE); return 0 }
    if (config.command === 'provision') return await provision(config, io)
    return await serve(config, io)
  } catch (err) {
    if (err instanceof RigstreamError) {
      io.stderr.write(`rigstream broker: ${err.code}: ${err.message}\n`)
      if (err.code === 'RS_ERR_CONFIG') io.stderr.write(USAGE)
      return err.code === 'RS_ERR_CONFIG' ? 2 : 1
    }
    throw err
  }
}

async function provision (config: ProvisionConfig, io: CliIo): Promise<number> {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 })
  try {
    const store = new PgCredentialStore(pool)
    await store.migrate()
    const p = config.principal
    const issued = p.kind === 'device' ? await provisionDevice(store, p.tenant, p.rig) : await provisionService(store, p.name)
    // Printed once, to stdout only; the store keeps nothing but its scrypt hash.
    io.stdout.write(JSON.stringify(issued) + '\n')
    io.stderr.write('rigstream broker: credentials issued; the password is shown only this once (provisioning again rotates it)\n')
    return 0
  } finally {
    await pool.end()
  }
}

async function serve (config: ServeConfig, io: CliIo): Promise<number> {
  const root = io.log ?? createRootLogger()
  const log = root.child({ component: 'broker-cli' })
  const port = await choosePort(config.port, config.host, 'MQTT', log)
  const wsPort = config.wsPort ? await choosePort(config.wsPort, config.host, 'MQTT over WebSocket', log) : null
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 })
  pool.on('error', err => { log.error({ err }, 'idle PostgreSQL connection failed') })
  try {
    const credentials = new PgCredentialStore(pool)
    await credentials.migrate()
    const broker = await startBroker({ host: config.host, port, wsPort, credentials, log: root, maxPayloadBytes: config.maxPayloadBytes })
    io.stdout.write(`MQTT ${broker.url}${broker.wsUrl ? `  WebSocket ${broker.wsUrl}` : ''}\n`)
    io.onListening?.({ url: broker.url, wsUrl: broker.wsUrl })
    if (!io.signal.aborted) await new Promise(resolve => io.signal.addEventListener('abort', resolve, { once: true }))
    await broker.close()
    return 0
  } finally {
    await pool.end()
  }
}

// A port named on the command line must be free; a default one that is taken is said and replaced.
async function choosePort (p: { value: number, explicit: boolean }, host: string, what: string, log: Logger): Promise<number> {
  if (p.explicit) return p.value
  const { port, taken } = await preferPort(p.value, host)
  if (taken) log.warn({ event: 'broker.port_taken', what, preferred: p.value, port }, 'default port is taken; using a free one')
  return port
}
