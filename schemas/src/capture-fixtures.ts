// Captures sample payloads as produced by the real edge-agent code into schemas/fixtures
// (<type>.<name>.bin + the decoded JSON). Run after a contract change: node dist/schemas/src/capture-fixtures.js
import { writeFileSync, mkdirSync } from 'node:fs'
import { repoPath } from '../../common/src/paths.js'
import { FrameBatch, RigState, Prediction } from './index.js'
import { toFrameBatch } from '../../edge-agent/src/framing.js'
import { createSimulator, createUciReplay } from '../../edge-agent/src/sources/index.js'

const dir = repoPath('schemas', 'fixtures')
mkdirSync(dir, { recursive: true })
const T0 = 1_795_000_000_000_000

function save (kind: string, name: string, bytes: Uint8Array, obj: object): void {
  writeFileSync(`${dir}/${kind}.${name}.bin`, bytes)
  writeFileSync(`${dir}/${kind}.${name}.json`, JSON.stringify(obj, null, 1) + '\n')
}
const opts = { longs: Number, enums: String, defaults: false }

const sim = createSimulator({ seed: 42, startUs: T0, faults: { valve: 80 } })
const simBytes = toFrameBatch('acme', 'sim-001', 1, sim.next(), T0 + 1_000_100)
save('framebatch', 'simulator-full-channel-set', simBytes, FrameBatch.toObject(FrameBatch.decode(simBytes), opts))

const uci = createUciReplay({ startUs: T0, startCycle: 1 })
const uciBytes = toFrameBatch('acme', 'uci-001', 7, uci.next(), T0 + 1_000_050)
save('framebatch', 'uci-replay-1hz', uciBytes, FrameBatch.toObject(FrameBatch.decode(uciBytes), opts))

const stateBytes = RigState.encode({ status: RigState.Status.ONLINE, timeUs: T0, agentVersion: '0.1.0', profile: 'uci-hydraulic/v1', source: 'simulator' }).finish()
save('rigstate', 'online', stateBytes, RigState.toObject(RigState.decode(stateBytes), opts))

const predBytes = Prediction.encode({
  tenant: 'acme', rig: 'uci-001', windowStartUs: T0, windowEndUs: T0 + 60_000_000, modelVersion: 'example', source: Prediction.Source.EDGE,
  heads: [{ target: 'cooler', classIndex: 2, label: 'full efficiency', probs: [0.25, 0.25, 0.5] }], firstSeq: 1, lastSeq: 60, producedUs: T0 + 60_500_000
}).finish()
save('prediction', 'edge-example', predBytes, Prediction.toObject(Prediction.decode(predBytes), opts))
console.log('fixtures written to', dir)
