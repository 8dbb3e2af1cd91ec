// The rollup flush sums mean * n per bucket in ingest (ingest/src/store/numeric-sum.ts) and must
// get exactly what PostgreSQL's sum((x::float8)::numeric) gives: the same digits and the same
// display scale. Checked against a real PostgreSQL on awkward doubles: tiny, huge, negative,
// with 15+ significant digits, integers past 2^53, values whose 15-digit text ends in zeros.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { freshDatabase } from '../../tests/support/pg.js'
import { addDecimal, decimalText, float8Numeric } from '../src/store/numeric-sum.js'

function values (): number[] {
  let x = 12345
  const rnd = (): number => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648 }
  const out = [0, -0, 1, -1, 0.1 * 3, 2.5, 1000, 1e20 * 3, 123456789012345678, 1.23e-7, -4.56e-12, 5e-324, 1.7976931348623157e308 / 1e10,
    0.30000000000000004, 99999.99999999999, 100 * 728, 1 / 3, -2 / 3, 7.0000000000001, 12.5 * 100]
  for (let i = 0; i < 300; i++) {
    const mag = Math.floor(rnd() * 30) - 15
    out.push((rnd() - 0.3) * 10 ** mag * (1 + Math.floor(rnd() * 1000)))
    out.push(Math.fround(rnd() * 200) * Math.floor(1 + rnd() * 100)) // a float4 mean times a sample count, as in the rollups
  }
  return out
}

test('float8 -> numeric and exact sums match PostgreSQL digit for digit, display scale included', async () => {
  const client = new pg.Client({ connectionString: await freshDatabase('numeric_sum') })
  await client.connect()
  try {
    const xs = values()
    const r = await client.query<{ each: string[] }>('SELECT array_agg(x::numeric::text ORDER BY i) AS each FROM unnest($1::float8[]) WITH ORDINALITY AS u(x, i)', [xs.map(String)])
    xs.forEach((x, i) => assert.equal(decimalText(float8Numeric(x)), r.rows[0].each[i], `${x}`))
    // sums of groups of varying size, in varying order
    for (const size of [2, 3, 7, 50, xs.length]) {
      for (let from = 0; from + size <= xs.length; from += Math.max(size, 37)) {
        const g = xs.slice(from, from + size)
        const s = await client.query<{ s: string }>('SELECT sum(x::numeric)::text AS s FROM unnest($1::float8[]) AS u(x)', [g.map(String)])
        const mine = g.map(float8Numeric).reduce(addDecimal)
        const backwards = g.map(float8Numeric).reverse().reduce(addDecimal)
        assert.equal(decimalText(mine), s.rows[0].s, `sum of ${g.length} from ${from}`)
        assert.equal(decimalText(backwards), s.rows[0].s)
      }
    }
    assert.throws(() => float8Numeric(NaN), RangeError)
    assert.throws(() => float8Numeric(Infinity), RangeError)
  } finally {
    await client.end()
  }
})
