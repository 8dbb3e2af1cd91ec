// For the disk spool crash tests: node spool-child.js <dir> [retry]. Appends frames 1, 2, 3, ... (payload
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
