import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { ERRORS, rsError, withRetry } from '../src/errors.js'
import { ERRORS_DOC, renderErrorsDoc } from '../src/errors-doc.js'

test('docs/errors.md lists exactly the catalogue (regenerate with npm run docs:errors)', () => {
  const doc = readFileSync(ERRORS_DOC, 'utf8')
  const inDoc = [...doc.matchAll(/^\| `(RS_ERR_[A-Z0-9_]+)` \|/gm)].map(m => m[1]).sort()
  assert.deepEqual(inDoc, Object.keys(ERRORS).sort())
  assert.equal(doc, renderErrorsDoc())
})

test('an error carries its code, the catalogue message and the detail', () => {
  const e = rsError('RS_ERR_UNKNOWN_CHANNEL', 'PS99')
  assert.equal(e.code, 'RS_ERR_UNKNOWN_CHANNEL')
  assert.equal(e.message, 'channel is not in the rig profile: PS99')
  assert.equal(e.retriable, false)
})

test('withRetry retries retriable errors only', async () => {
  let n = 0
  const v = await withRetry(async () => { if (++n < 3) throw rsError('RS_ERR_DB_UNAVAILABLE'); return 'ok' }, { minMs: 1, maxMs: 2 })
  assert.equal(v, 'ok')
  assert.equal(n, 3)
  let m = 0
  await assert.rejects(withRetry(async () => { m++; throw rsError('RS_ERR_CONFIG', 'x') }, { minMs: 1 }), { code: 'RS_ERR_CONFIG' })
  assert.equal(m, 1)
})
