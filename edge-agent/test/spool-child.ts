// For the disk spool crash tests: node spool-child.js <dir> [retry|big]. Appends frames 1, 2, 3, ... (payload
// derived from the seq) and prints "a <seq>" once append() resolved; acks every third frame and
// prints "k <seq>" once ack() resolved. Runs until killed.
import { createDiskSpool } from '../src/spool/disk.js'
import { payloadFor } from './spool-contract.js'

if (process.argv[3] === 'retry') {
  // "retry": appends 1..600 without acks, retrying a failed append (as the agent does), prints
  // "a <seq>" after each append and "e <code>" after each failure, closes the spool, exits.
  const spool = await createDiskSpool({ dir: process.argv[2], segmentBytes: 1024 * 1024 })
  for (let seq = 1; seq <= 600; seq++) {
    for (;;) {
      try {
        await spool.append({ seq, payload: payloadFor(seq) })
        break
      } catch (err) {
        process.stdout.write(`e ${String((err as { cause?: { code?: string } }).cause?.code)}\n`)
      }
    }
    process.stdout.write(`a ${seq}\n`)
  }
  await spool.close()
  process.exit(0)
}
if (process.argv[3] === 'big') {
  // "big": frames 1..5, then seq 6 as a 100 KiB frame (past the parent's ulimit -f 64: every
  // attempt fails in a brand-new segment), three times, then seq 6 small, then 7..10; prints
  // "e <code>" per failure, exits.
  const spool = await createDiskSpool({ dir: process.argv[2], segmentBytes: 1024 * 1024 })
  for (let seq = 1; seq <= 5; seq++) await spool.append({ seq, payload: payloadFor(seq) })
  for (let i = 0; i < 3; i++) {
    await spool.append({ seq: 6, payload: new Uint8Array(100 * 1024) }).then(
      () => process.stdout.write('ok\n'),
      (err: { cause?: { code?: string } }) => process.stdout.write(`e ${String(err.cause?.code)}\n`))
  }
  for (let seq = 6; seq <= 10; seq++) await spool.append({ seq, payload: payloadFor(seq) })
  await spool.close()
  process.exit(0)
}
const spool = await createDiskSpool({ dir: process.argv[2], segmentBytes: 4096 })
for (let seq = spool.lastSeq() + 1; ; seq++) {
  await spool.append({ seq, payload: payloadFor(seq) })
  process.stdout.write(`a ${seq}\n`)
  if (seq % 3 === 0) {
    const taken: number[] = []
    for (let f = spool.take(); f; f = spool.take()) taken.push(f.seq)
    for (const t of taken.filter(t => t % 3 === 0)) { await spool.ack(t); process.stdout.write(`k ${t}\n`) }
    spool.rewind()
  }
}
