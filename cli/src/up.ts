import { parseArgs } from 'node:util'
import { createRootLogger } from '../../common/src/logger.js'
import { rsError } from '../../common/src/errors.js'
import { readEmbeddedConfig } from './config.js'
import { startEmbedded } from './embedded.js'

/**
 * rigstream up --rigs N --duration S [--summary json]: the embedded product, headless, for scripts.
 * Runs S seconds, stops cleanly, and prints one JSON summary object as its last line.
 */
export async function run (argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { rigs: { type: 'string' }, replay: { type: 'string' }, duration: { type: 'string' }, summary: { type: 'string' }, speed: { type: 'string' } }
  })
  const env: NodeJS.ProcessEnv = { ...process.env, RS_RIGS: values.rigs ?? process.env.RS_RIGS ?? '5', RS_REPLAY_RIGS: values.replay ?? '0', RS_HTTP_PORT: process.env.RS_HTTP_PORT ?? '0', RS_MQTT_PORT: process.env.RS_MQTT_PORT ?? '0', RS_MQTT_WS_PORT: process.env.RS_MQTT_WS_PORT ?? '0', RS_PG_PORT: process.env.RS_PG_PORT ?? '0' }
  if (values.speed) env.RS_SPEED = values.speed
  const duration = Number(values.duration ?? '10')
  if (!Number.isFinite(duration) || duration <= 0) throw rsError('RS_ERR_CONFIG', '--duration must be a positive number of seconds')
  if (values.summary !== undefined && values.summary !== 'json') throw rsError('RS_ERR_CONFIG', '--summary takes only "json"')
  const cfg = readEmbeddedConfig(env)
  const log = createRootLogger({ level: process.env.RS_LOG_LEVEL ?? 'warn' })
  const sys = await startEmbedded(cfg, log, { tempData: !process.env.RS_DATA_DIR })
  process.stderr.write(`rigstream up: ${sys.rigs.length} rigs for ${duration} s — dashboard ${sys.httpUrl}/\n`)
  await new Promise(r => setTimeout(r, duration * 1000))
  await sys.stop()
  const s = sys.ingestStats()
  const f = sys.fleetStats()
  const summary = { published: f.acked, stored: s.stored, duplicatesDropped: s.duplicatesDropped, deadLetters: s.deadLetters, kafkaProduced: s.kafkaProduced }
  process.stdout.write((values.summary === 'json' ? JSON.stringify(summary) : JSON.stringify(summary, null, 2)) + '\n')
}
