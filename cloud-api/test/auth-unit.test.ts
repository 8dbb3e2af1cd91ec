// Unit tests of the auth building blocks: JWT HS256, token buckets, the audit hash.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { signToken, verifyToken, checkSecret } from '../src/auth/jwt.js'
import { TokenBuckets } from '../src/auth/rate-limit.js'
import { canonicalJson, auditHash, GENESIS_HASH } from '../src/auth/audit.js'

const KEY = Buffer.alloc(32, 1)

test('jwt: a signed token verifies until it expires; any change to it is refused', () => {
  const now = 1_800_000_000
  const { token, claims } = signToken(KEY, { sub: 'ann', tid: 'acme', role: 'operator' }, 60, now)
  assert.deepEqual(verifyToken(KEY, token, now + 59), claims)
  assert.equal(claims.exp, now + 60)
  assert.throws(() => verifyToken(KEY, token, now + 60), /expired/)
  assert.throws(() => verifyToken(Buffer.alloc(32, 2), token, now), /signature/)
  const [h, p, s] = token.split('.')
  // one flipped character anywhere
  for (const bad of [`${h}.${p}x.${s}`, `${h}.${p}.${s.slice(0, -2)}AA`, `${h}.${p}`, `${h}.${p}.${s}.x`, '', 'a.b.c']) {
    assert.throws(() => verifyToken(KEY, bad, now), (e: any) => e.code === 'RS_ERR_AUTH' && e.statusCode === 401, bad)
  }
  assert.throws(() => checkSecret(Buffer.alloc(31)), /at least 32 bytes/)
})

test('token bucket: burst, then one token per 1/perSecond, per key', () => {
  let t = 0
  const b = new TokenBuckets({ burst: 2, perSecond: 0.5 }, 100, () => t)
  assert.equal(b.take('a'), 0)
  assert.equal(b.take('a'), 0)
  assert.equal(b.take('a'), 2) // seconds to the next token
  assert.equal(b.take('b'), 0)
  t += 2000
  assert.equal(b.take('a'), 0)
  assert.ok(b.take('a') > 0)
  // never more than burst, however long the caller was away
  t += 3_600_000
  assert.equal(b.take('a'), 0)
  assert.equal(b.take('a'), 0)
  assert.ok(b.take('a') > 0)
  // the map is bounded
  const small = new TokenBuckets({ burst: 1, perSecond: 1 }, 3, () => t)
  for (let i = 0; i < 10; i++) small.take(`k${i}`)
  assert.equal(small.size, 3)
})

test('audit hash: canonical JSON ignores key order; every field is covered', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }), '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}')
  const row = { id: 1, at: new Date('2026-01-01T00:00:00.123Z'), actor: 'root', tenant: 'acme', action: 'user.create', target: 'user:x', detail: { role: 'viewer' } }
  const h = auditHash(GENESIS_HASH, row)
  assert.match(h, /^[0-9a-f]{64}$/)
  assert.equal(auditHash(GENESIS_HASH, { ...row, detail: { role: 'viewer' } }), h)
  for (const change of [{ id: 2 }, { at: new Date(row.at.getTime() + 1) }, { actor: 'eve' }, { tenant: null }, { action: 'user.update' }, { target: 'user:y' }, { detail: { role: 'admin' } }]) {
    assert.notEqual(auditHash(GENESIS_HASH, { ...row, ...change }), h, JSON.stringify(change))
  }
  assert.notEqual(auditHash('f'.repeat(64), row), h)
})
