import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoPath } from '../../common/src/paths.js'
import { loadAgentConfig } from '../src/config.js'

function file (content: unknown): string {
  const p = join(mkdtempSync(join(tmpdir(), 'rs-agent-cfg-')), 'agent.json')
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content))
  return p
}

const base = { broker: 'mqtt://gw.example:1883', tenant: 'acme', rig: 'press-1' }

test('config: file, then RS_AGENT_* environment, then flags; defaults; frozen', () => {
  const f = file({ ...base, stateDir: '/var/lib/rs', speed: 2, source: { kind: 'replay', startCycle: 40, loop: false } })
  const cfg = loadAgentConfig({ file: f, env: { RS_AGENT_RIG: 'press-2', RS_AGENT_SPEED: '4', PATH: '/bin' }, flags: { speed: '0' } })
  assert.equal(cfg.broker, 'mqtt://gw.example:1883')
  assert.equal(cfg.rig, 'press-2', 'env over file')
  assert.equal(cfg.speed, 0, 'flag over env')
  assert.equal(cfg.stateDir, '/var/lib/rs')
  assert.equal(cfg.maxInflight, 64)
  assert.deepEqual({ ...cfg.source }, { kind: 'replay', seed: 1, faults: {}, dir: undefined, startCycle: 40, loop: false })
  assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.source))

  const sim = loadAgentConfig({ env: { RS_AGENT_BROKER: 'mqtt://127.0.0.1:1', RS_AGENT_TENANT: 't', RS_AGENT_RIG: 'r', RS_AGENT_FAULTS: 'cooler=20, valve=90' } })
  assert.equal(sim.source.kind, 'simulator')
  assert.deepEqual(sim.source.faults, { cooler: 20, valve: 90 })
  assert.deepEqual(loadAgentConfig({ file: file({ ...base, source: { faults: { pump: 2 } } }), env: {} }).source.faults, { pump: 2 })
})

test('config: every bad value fails with RS_ERR_CONFIG naming the key and where it came from', () => {
  const cases: Array<[Parameters<typeof loadAgentConfig>[0], RegExp]> = [
    [{ env: {} }, /broker is required/],
    [{ file: file({ ...base, tenant: 'a/b' }), env: {} }, /tenant \(from .*agent\.json\)/],
    [{ file: file({ ...base, brokr: 'x' }), env: {} }, /brokr \(from .*agent\.json\) is not a setting/],
    [{ file: file({ ...base, source: { kind: 'replay', seeed: 1 } }), env: {} }, /source\.seeed/],
    [{ file: file(base), env: { RS_AGENT_SPEED: 'fast' } }, /speed \(from RS_AGENT_SPEED\) must be a number/],
    [{ file: file(base), env: { RS_AGENT_SPEDD: '1' } }, /RS_AGENT_SPEDD is not a setting/],
    [{ file: file(base), env: {}, flags: { speed: '-1' } }, /speed \(from --speed\) must be >= 0/],
    [{ file: file(base), env: {}, flags: { 'max-inflight': '0' } }, /maxInflight \(from --max-inflight\)/],
    [{ file: file(base), env: {}, flags: { broker: 'http://x' } }, /broker \(from --broker\)/],
    [{ file: file(base), env: {}, flags: { source: 'camera' } }, /source\.kind \(from --source\)/],
    [{ file: file(base), env: {}, flags: { faults: 'cooler=50' } }, /cooler must be one of 3, 20, 100/],
    [{ file: file(base), env: {}, flags: { faults: 'leak=1' } }, /leak is not a fault type/],
    [{ file: file(base), env: {}, flags: { loop: 'maybe' } }, /source\.loop \(from --loop\) must be true or false/],
    [{ file: file('{ not json'), env: {} }, /cannot read config file/],
    [{ file: '/nonexistent/agent.json', env: {} }, /cannot read config file/]
  ]
  for (const [opts, message] of cases) {
    assert.throws(() => loadAgentConfig(opts), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'RS_ERR_CONFIG', err.message)
      assert.match(err.message, message)
      return true
    })
  }
})

test('config: the example config shipped with the systemd unit is valid', () => {
  const cfg = loadAgentConfig({ file: repoPath('deploy', 'systemd', 'agent.example.json'), env: {} })
  assert.equal(cfg.stateDir, '/var/lib/rigstream-agent', 'the StateDirectory= of rigstream-agent.service')
})
