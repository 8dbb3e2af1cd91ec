// `rigstream migrate`: applies the storage migrations to DATABASE_URL and prints one JSON line.
import { createRootLogger } from '../../../common/src/logger.js'
import { readMigrateConfig } from '../config.js'
import { rsError } from '../../../common/src/errors.js'
import { migrate } from './migrate.js'
import type { StorageChoice } from './storage.js'

export async function run (argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`usage: DATABASE_URL=postgres://... rigstream migrate [--storage auto|timescale|plain]

Applies ingest/src/store/migrations/*.sql in order (never drops data); prints
{"applied": [...], "current": n, "storage": "timescale"|"plain"}.
--storage picks the storage path of a database migrated for the first time (default auto:
TimescaleDB when the timescaledb extension can be created, else plain PostgreSQL); a database
keeps the path it was first migrated with (docs/storage.md).
`)
    return
  }
  const i = argv.indexOf('--storage')
  const storage = i >= 0 ? argv[i + 1] : 'auto'
  if (storage !== 'auto' && storage !== 'timescale' && storage !== 'plain') throw rsError('RS_ERR_CONFIG', `--storage must be auto, timescale or plain (got ${String(storage)})`)
  const cfg = readMigrateConfig()
  const log = createRootLogger().child({ component: 'migrate' })
  const r = await migrate(cfg.databaseUrl, log, undefined, { storage: storage as StorageChoice })
  process.stdout.write(JSON.stringify(r) + '\n')
}
