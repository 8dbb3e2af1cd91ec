// `rigstream migrate`: applies the storage migrations to DATABASE_URL and prints one JSON line.
import { createRootLogger } from '../../../common/src/logger.js'
import { readMigrateConfig } from '../config.js'
import { migrate } from './migrate.js'

export async function run (argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: DATABASE_URL=postgres://... rigstream migrate\n\nApplies ingest/src/store/migrations/*.sql in order (never drops data); prints {"applied": [...], "current": n}.\n')
    return
  }
  const cfg = readMigrateConfig()
  const log = createRootLogger().child({ component: 'migrate' })
  const r = await migrate(cfg.databaseUrl, log)
  process.stdout.write(JSON.stringify(r) + '\n')
}
