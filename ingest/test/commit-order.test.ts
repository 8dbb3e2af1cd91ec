// The committer with several batches written at once (ingest's write concurrency): whatever order
// the transactions commit in, Kafka sends, live pushes and PUBACKs follow arrival order
// [MQTT-4.6.0-2]. The writer and the Kafka sink here are in-process recorders whose writes finish
// when the test says, so the order is forced, not left to timing; the database side of two
// overlapping transactions is tested on a real PostgreSQL in store.test.ts ("dedup holds across
// two concurrent writers") and end to end in service.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { LiveBus } from '../../common/src/live.js'
import { createCommitter, type CommitStats, type Inbound } from '../src/commit.js'
import { DedupCache } from '../src/dedup-cache.js'
import type { KafkaSink } from '../src/sinks/kafka.js'
import type { FrameWriter, WriteBatch, WriteResult } from '../src/store/writer.js'
import type { AckToken } from '../src/subscription.js'
import { validateFrame, type AcceptedFrame } from '../src/validate.js'
import { encodeFrame, frameObject, frameTopic } from './frames.js'

const frameOf = (i: Inbound): AcceptedFrame => { if (i.kind !== 'frame') throw new Error('not a frame'); return i.frame }

function inbound (seq: number): Inbound {
  const v = validateFrame(frameTopic({ rig: 'rig-1' }), encodeFrame(frameObject({ rig: 'rig-1', seq })), Date.now() * 1000)
  if (!v.ok) throw new Error(v.rejection.detail)
  return { kind: 'frame', frame: v.frame, ack: { messageId: seq, generation: 1 }, size: 1 }
}

test('batches written at once complete in arrival order: Kafka, live push and PUBACKs', async () => {
  const events: string[] = []
  const pending: Array<{ seqs: number[], done: (r: WriteResult) => void }> = []
  const writer: FrameWriter = {
    write: async (b: WriteBatch) => await new Promise<WriteResult>(resolve => {
      pending.push({ seqs: b.frames.map(f => f.seq), done: resolve })
      events.push(`write ${b.frames.map(f => f.seq).join(',')}`)
    })
  }
  const kafka = {
    produced: 0,
    sendFrames: async (records: Array<{ seq: number }>) => { events.push(`kafka ${records.map(r => r.seq).join(',')}`) },
    sendDeadLetters: async () => {}
  } as unknown as KafkaSink
  const bus = new LiveBus()
  bus.on('frames', f => events.push(`push ${f.seq}`))
  const stats: CommitStats = { stored: 0, duplicatesDropped: 0, deadLetters: 0, deadLettersByReason: {}, batches: 0, staleAcks: 0 }
  const commit = createCommitter({
    writer,
    kafka,
    bus,
    dedup: new DedupCache(100),
    ack: (tokens: Array<AckToken | null>) => { events.push(`ack ${tokens.map(t => t!.messageId).join(',')}`); return 0 },
    stats,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal
  })
  const first = [inbound(1), inbound(2)]
  const second = [inbound(3), inbound(4)]
  const a = commit(first)
  const b = commit(second)
  await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(events, ['write 1,2', 'write 3,4'], 'both transactions are under way at once')
  // the second commits first: nothing of it may leave before the first is complete
  pending[1]!.done({ stored: second.map(frameOf), duplicates: [] })
  await new Promise(resolve => setTimeout(resolve, 20))
  assert.deepEqual(events, ['write 1,2', 'write 3,4'], 'no Kafka send, push or PUBACK of the second batch before the first')
  assert.equal(stats.batches, 0)
  pending[0]!.done({ stored: first.map(frameOf), duplicates: [] })
  await Promise.all([a, b])
  assert.deepEqual(events, ['write 1,2', 'write 3,4', 'kafka 1,2', 'push 1', 'push 2', 'ack 1,2', 'kafka 3,4', 'push 3', 'push 4', 'ack 3,4'])
  assert.equal(stats.stored, 4)
  assert.equal(stats.batches, 2)
})

test('a batch given up (close timed out) does not hold back the one after it', async () => {
  const acks: number[] = []
  const abort = new AbortController()
  let failFirst!: (err: Error) => void
  let n = 0
  const writer: FrameWriter = {
    write: async (b: WriteBatch) => {
      if (n++ === 0) return await new Promise<WriteResult>((_resolve, reject) => { failFirst = reject })
      return { stored: b.frames, duplicates: [] }
    }
  }
  const commit = createCommitter({
    writer,
    kafka: null,
    dedup: new DedupCache(100),
    ack: tokens => { for (const t of tokens) acks.push(t!.messageId); return 0 },
    stats: { stored: 0, duplicatesDropped: 0, deadLetters: 0, deadLettersByReason: {}, batches: 0, staleAcks: 0 },
    log: pino({ level: 'silent' }),
    signal: abort.signal
  })
  const a = commit([inbound(1)])
  const b = commit([inbound(2)])
  await new Promise(resolve => setTimeout(resolve, 20))
  assert.deepEqual(acks, [], 'the second waits for the first')
  abort.abort(new Error('close: drain timed out'))
  failFirst(new Error('connection lost'))
  await assert.rejects(a, /drain timed out/)
  await b
  assert.deepEqual(acks, [2], 'the given-up batch stays unacknowledged (the broker redelivers it); the next one completes')
})
