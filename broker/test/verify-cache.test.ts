import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { VerifyCache } from '../src/verify-cache.js'
import type { Principal } from '../src/principal.js'

const rig: Principal = { kind: 'device', tenant: 'acme', rig: 'rig-1' }

function slowVerifier (answer: Principal | null): { calls: () => number, run: () => Promise<Principal | null> } {
  let calls = 0
  return { calls: () => calls, run: async () => { calls++; await new Promise(resolve => setImmediate(resolve)); return answer } }
}

describe('VerifyCache', () => {
  it('answers a repeated successful verification from memory, and concurrent ones with one slow call', async () => {
    const cache = new VerifyCache()
    const v = slowVerifier(rig)
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.verify('acme/rig-1', 'pw', v.run)))
    assert.equal(v.calls(), 1)
    assert.ok(results.every(r => r === rig))
    assert.equal(await cache.verify('acme/rig-1', Buffer.from('pw'), v.run), rig)
    assert.equal(v.calls(), 1, 'a Buffer and a string of the same bytes share the entry')
  })

  it('never caches a failure, and keys on the password', async () => {
    const cache = new VerifyCache()
    const bad = slowVerifier(null)
    assert.equal(await cache.verify('acme/rig-1', 'wrong', bad.run), null)
    assert.equal(await cache.verify('acme/rig-1', 'wrong', bad.run), null)
    assert.equal(bad.calls(), 2)
    const good = slowVerifier(rig)
    await cache.verify('acme/rig-1', 'right', good.run)
    assert.equal(await cache.verify('acme/rig-1', 'wrong', bad.run), null, 'a cached right password does not admit a wrong one')
    assert.equal(bad.calls(), 3)
  })

  it('expires entries after ttlMs and forgets a username on demand', async () => {
    let now = 1000
    const cache = new VerifyCache({ ttlMs: 100, now: () => now })
    const v = slowVerifier(rig)
    await cache.verify('acme/rig-1', 'pw', v.run)
    now += 99
    await cache.verify('acme/rig-1', 'pw', v.run)
    assert.equal(v.calls(), 1)
    now += 1
    await cache.verify('acme/rig-1', 'pw', v.run)
    assert.equal(v.calls(), 2)
    cache.forget('acme/rig-1')
    await cache.verify('acme/rig-1', 'pw', v.run)
    assert.equal(v.calls(), 3)
  })

  it('does not cache a verification that was running when the username changed', async () => {
    const cache = new VerifyCache()
    let release: () => void = () => {}
    let calls = 0
    const gated = async (): Promise<Principal> => { calls++; await new Promise<void>(resolve => { release = resolve }); return rig }
    const pending = cache.verify('acme/rig-1', 'old', gated)
    cache.forget('acme/rig-1') // e.g. the password was rotated meanwhile
    release()
    await pending
    assert.equal(cache.size, 0)
    const again = cache.verify('acme/rig-1', 'old', gated)
    release()
    await again
    assert.equal(calls, 2)
  })

  it('holds at most `max` entries, dropping the oldest', async () => {
    const cache = new VerifyCache({ max: 3 })
    for (let i = 0; i < 5; i++) await cache.verify(`acme/rig-${i}`, 'pw', async () => rig)
    assert.equal(cache.size, 3)
    let calls = 0
    await cache.verify('acme/rig-0', 'pw', async () => { calls++; return rig })
    await cache.verify('acme/rig-4', 'pw', async () => { calls++; return rig })
    assert.equal(calls, 1, 'rig-0 was evicted, rig-4 was not')
  })
})
