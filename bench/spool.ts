// npm run bench -- spool [--quick] [--json]: disk spool write and replay throughput
// (edge-agent/src/spool/bench.ts), against the memory spool as the baseline. docs/benchmarks.md "Edge spool".
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { benchSpool } from '../edge-agent/src/spool/bench.js'

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' } } })
const result = { scenario: 'spool', node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, quick: args.quick === true, ...(await benchSpool({ quick: args.quick === true })) }
if (args.json !== true) {
  console.log(`frames of ${result.frameBytes} bytes, ${result.frames} per run`)
  for (const [name, r] of Object.entries(result.append)) console.log(`append  ${name.padEnd(56)} ${String(r.framesPerSec).padStart(8)} frames/s  ${r.mbPerSec} MB/s`)
  console.log(`reopen  ${result.frames} frames: ${result.reopenMs} ms; replay (reopen + take + ack): ${result.replayFramesPerSec} frames/s`)
}
process.stdout.write(JSON.stringify(result) + '\n')
