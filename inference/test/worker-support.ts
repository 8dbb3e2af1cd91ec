// Shared by the worker tests: real UCI cycles replayed as FrameBatch frames, produced to Kafka
// with ingest's own producer, and a database with the migrations.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createRootLogger } from '../../common/src/logger.js'
import { freshDatabase } from '../../tests/support/pg.js'
import { migrate } from '../../ingest/src/store/migrate.js'
import { createKafkaSink, type KafkaSink } from '../../ingest/src/sinks/kafka.js'
import { FRAME_SCHEMA } from '../../ingest/src/sinks/kafka-records.js'
import { toFrameBatch } from '../../edge-agent/src/framing.js'
import { createUciReplay, type CycleLabels } from '../../edge-agent/src/sources/index.js'

export const T0 = 1_795_000_000_000_000
export const CYCLE_US = 60_000_000

export interface ReplayedWindow { tenant: string, rig: string, cycle: number, windowStartUs: number, labels: CycleLabels }
export interface Replay { frames: Array<{ tenant: string, rig: string, seq: number, bytes: Uint8Array }>, windows: ReplayedWindow[] }

/** `cycles` real UCI cycles per rig, rig i starting at original cycle starts[i]; frames interleaved by time as rigs send them. */
export function replayFrames (tenant: string, rigs: string[], starts: number[], cycles: number): Replay {
  const sources = rigs.map((rig, i) => ({ rig, src: createUciReplay({ startUs: T0, startCycle: starts[i], loop: false }), seq: 0 }))
  const frames: Replay['frames'] = []
  const windows: ReplayedWindow[] = []
  for (let k = 0; k < cycles * 60; k++) {
    for (const s of sources) {
      const w = s.src.next()
      if (k % 60 === 0) windows.push({ tenant, rig: s.rig, cycle: w.cycle, windowStartUs: w.windowStartUs, labels: s.src.labelsOf(w.cycle)! })
      s.seq++
      frames.push({ tenant, rig: s.rig, seq: s.seq, bytes: toFrameBatch(tenant, s.rig, s.seq, w, w.windowStartUs + 1000) })
    }
  }
  return { frames, windows }
}

export async function produceFrames (sink: KafkaSink, frames: Replay['frames'], chunk = 500): Promise<void> {
  for (let i = 0; i < frames.length; i += chunk) {
    await sink.sendFrames(frames.slice(i, i + chunk).map(f => ({ ...f, schema: FRAME_SCHEMA })))
  }
}

export async function frameProducer (brokers: string): Promise<KafkaSink> {
  const sink = createKafkaSink({ brokers: brokers.split(','), log: createRootLogger({ level: 'silent' }), clientId: 'worker-test-producer' })
  await sink.connect()
  return sink
}

export async function migratedDatabase (): Promise<{ url: string, pool: pg.Pool }> {
  const url = await freshDatabase('worker')
  await migrate(url, createRootLogger({ level: 'silent' }))
  return { url, pool: new pg.Pool({ connectionString: url, max: 4 }) }
}

export const uniqueId = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`

export async function waitFor (what: string, cond: () => boolean | Promise<boolean>, ms = 180_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}
