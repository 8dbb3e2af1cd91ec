// For the disk spool crash test: node spool-child.js <dir>. Appends frames 1, 2, 3, ... (payload
// derived from the seq) and prints "a <seq>" once append() resolved; acks every third frame and
// prints "k <seq>" once ack() resolved. Runs until killed.
import { createDiskSpool } from '../src/spool/disk.js'
import { payloadFor } from './spool-contract.js'

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
