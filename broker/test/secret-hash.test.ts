import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { hashSecret, verifySecret } from '../src/secret-hash.js'

describe('hashSecret / verifySecret', () => {
  it('encodes scrypt with its parameters and a per-secret salt', async () => {
    const a = await hashSecret('correct horse battery staple')
    const b = await hashSecret('correct horse battery staple')
    assert.match(a, /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    assert.notEqual(a, b, 'two hashes of one secret differ by salt')
    assert.equal(a.includes('correct horse'), false)
  })

  it('verifies the right secret, string or Buffer, and nothing else', async () => {
    const h = await hashSecret('s3cret-s3cret-s3cret')
    assert.equal(await verifySecret('s3cret-s3cret-s3cret', h), true)
    assert.equal(await verifySecret(Buffer.from('s3cret-s3cret-s3cret'), h), true)
    assert.equal(await verifySecret('s3cret-s3cret-s3creT', h), false)
    assert.equal(await verifySecret('', h), false)
  })

  it('never matches a malformed or tampered hash, and refuses absurd parameters', async () => {
    const h = await hashSecret('s3cret-s3cret-s3cret')
    const parts = h.split('$')
    const flip = (i: number, v: string): string => parts.map((p, j) => j === i ? v : p).join('$')
    assert.equal(await verifySecret('s3cret-s3cret-s3cret', flip(0, 'bcrypt')), false)
    assert.equal(await verifySecret('s3cret-s3cret-s3cret', flip(1, '1000')), false) // N not a power of two
    assert.equal(await verifySecret('s3cret-s3cret-s3cret', flip(1, String(2 ** 24))), false) // N beyond the bound
    assert.equal(await verifySecret('s3cret-s3cret-s3cret', flip(5, Buffer.alloc(32).toString('base64url'))), false)
    assert.equal(await verifySecret('s3cret-s3cret-s3cret', 'plaintext'), false)
    assert.equal(await verifySecret('s3cret-s3cret-s3cret', ''), false)
  })
})
