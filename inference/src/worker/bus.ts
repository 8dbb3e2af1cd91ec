// The embedded feed (`npm start`): the worker follows ingest's LiveBus 'frames' events.
//
// Why the LiveBus and not the stored frames: ingest emits a frame there only after it is
// committed to PostgreSQL, in the same process, with the decoded FrameBatch in hand, so the worker
// sees exactly the stored frames with no polling and no second decode. What it gives up: a window
// open when the process stops is not resumed (at most one cycle per rig is not diagnosed across a
// restart); the Kafka worker (kafka.ts) is the one with commit-after-durable semantics.
import type { LiveBus, LiveFrame } from '../../../common/src/live.js'
import type { Logger } from '../../../common/src/logger.js'
import { WorkerCore, type WorkerCoreOptions, type WorkerStats } from './worker.js'

export interface BusWorker {
  readonly provider: string
  stats (): WorkerStats
  close (): Promise<void>
}

export async function startBusWorker (o: WorkerCoreOptions & { bus: LiveBus, log: Logger, staleMs?: number }): Promise<BusWorker> {
  const core = await WorkerCore.create(o)
  const onFrames = (ev: LiveFrame): void => {
    try {
      core.add(ev.batch, null)
    } catch (err) {
      o.log.error({ err, tenant: ev.tenant, rig: ev.rig }, 'frame skipped by the worker')
    }
  }
  o.bus.on('frames', onFrames)
  const staleMs = o.staleMs ?? 300_000
  const sweep = setInterval(() => core.assembler.evictStale(staleMs), Math.min(staleMs, 60_000))
  sweep.unref()
  o.log.info({ provider: core.provider, feed: 'live-bus' }, 'inference worker started (embedded)')
  return {
    provider: core.provider,
    stats: () => core.stats(),
    async close () {
      clearInterval(sweep)
      o.bus.off('frames', onFrames)
      await core.close()
    }
  }
}
