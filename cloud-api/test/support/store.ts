// A real telemetry store for cloud-api tests: a fresh PostgreSQL database, ingest's migrations,
// ingest's validation and COPY writer for inserting, ingest's queries for reading.
import pg from 'pg'
import { freshDatabase } from '../../../tests/support/pg.js'
import { createRootLogger } from '../../../common/src/logger.js'
import { migrate } from '../../../ingest/src/store/migrate.js'
import { createTelemetryQueries } from '../../../ingest/src/store/queries.js'
import { createPgFrameWriter } from '../../../ingest/src/store/writer.js'
import { validateFrame, type AcceptedFrame } from '../../../ingest/src/validate.js'
import type { TelemetryQueries } from '../../../ingest/src/store/types.js'
import { FrameBatch, rigTopic } from '../../../schemas/src/index.js'

export interface TestStore {
  /** the database, for a process of its own */
  url: string
  queries: TelemetryQueries
  /** validates each batch as ingest does (it must pass) and commits them */
  insert (batches: FrameBatch[]): Promise<AcceptedFrame[]>
  close (): Promise<void>
}

export async function storeForTest (): Promise<TestStore> {
  const url = await freshDatabase('api')
  await migrate(url, createRootLogger({ level: 'silent' }))
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  const writer = createPgFrameWriter(pool)
  return {
    url,
    queries: createTelemetryQueries(pool),
    async insert (batches) {
      const frames = batches.map(b => {
        const v = validateFrame(rigTopic(b.tenant, b.rig, 'frames'), FrameBatch.encode(b).finish(), Date.now() * 1000)
        if (!v.ok) throw new Error(`test frame ${b.tenant}/${b.rig}/${String(b.seq)} rejected: ${v.rejection.code} ${v.rejection.detail}`)
        return v.frame
      })
      const r = await writer.write({ frames, deadLetters: [] })
      if (r.stored.length !== frames.length) throw new Error(`stored ${r.stored.length} of ${frames.length}`)
      return r.stored
    },
    close: () => pool.end()
  }
}
