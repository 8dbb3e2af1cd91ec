import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { WEB_DIR } from '../../cloud-api/src/http/static.js'
import { createRootLogger } from '../../common/src/logger.js'
import { readEmbeddedConfig } from './config.js'
import { startEmbedded } from './embedded.js'

/** rigstream start: the embedded product, until Ctrl-C. */
export async function run (argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { rigs: { type: 'string' }, replay: { type: 'string' }, speed: { type: 'string' } } })
  const env = { ...process.env }
  if (values.rigs) env.RS_RIGS = values.rigs
  if (values.replay) env.RS_REPLAY_RIGS = values.replay
  if (values.speed) env.RS_SPEED = values.speed
  const cfg = readEmbeddedConfig(env)
  const log = createRootLogger()
  const sys = await startEmbedded(cfg, log)
  const lines = [
    '',
    `  rigstream is running — ${sys.rigs.length} rigs streaming (${sys.rigs.join(', ')})`,
    '',
    `  Dashboard      ${sys.httpUrl}/${existsSync(join(WEB_DIR, 'index.html')) ? '' : '   (NOT BUILT: run `npm run build`, then reload)'}`,
    // printed here only (stdout, never the logger): the password exists nowhere else in clear
    sys.login.password !== null
      ? `  Log in as      ${sys.login.username}   password ${sys.login.password}   (admin of tenant ${sys.login.tenant}; shown only this once)`
      : `  Log in as      ${sys.login.username}   (its password was printed when ${cfg.dataDir} was first started; delete that directory to start over)`,
    `  REST API       ${sys.httpUrl}/api/v1/rigs`,
    `  MQTT           ${sys.mqttUrl}${sys.mqttWsUrl ? `   (WebSocket: ${sys.mqttWsUrl})` : ''}`,
    `  PostgreSQL     ${redact(sys.databaseUrl)}`,
    `  Kafka          ${sys.kafka ? sys.kafka.join(',') : 'off (set KAFKA_BROKERS to enable)'}`,
    '',
    '  Ctrl-C stops.',
    ''
  ]
  process.stdout.write(lines.join('\n') + '\n')
  await new Promise<void>(resolve => {
    const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve() }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  log.info('stopping')
  await sys.stop({ drainMs: 5000 })
}

function redact (url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}
