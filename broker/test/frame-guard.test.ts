import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { FrameGuard, PacketTooLargeError } from '../src/frame-guard.js'

function varint (n: number): number[] {
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return out
}

/** An MQTT 3.1.1 QoS 0 PUBLISH packet. */
function publish (topic: string, payload: Buffer): Buffer {
  const t = Buffer.from(topic)
  const body = Buffer.concat([Buffer.from([t.length >> 8, t.length & 0xff]), t, payload])
  return Buffer.concat([Buffer.from([0x30, ...varint(body.length)]), body])
}

const PINGREQ = Buffer.from([0xc0, 0x00])

async function run (limit: number, chunks: Buffer[], firstLimit?: number): Promise<{ out: Buffer, err: Error | null }> {
  const g = new FrameGuard(limit, firstLimit)
  const out: Buffer[] = []
  g.on('data', (b: Buffer) => out.push(b))
  const done = new Promise<Error | null>(resolve => { g.on('end', () => resolve(null)); g.on('error', resolve) })
  for (const c of chunks) g.write(c)
  g.end()
  return { err: await done, out: Buffer.concat(out) }
}

function split (buf: Buffer, size: number): Buffer[] {
  const parts: Buffer[] = []
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size))
  return parts
}

describe('FrameGuard', () => {
  const stream = Buffer.concat([publish('a/b', Buffer.alloc(100, 1)), PINGREQ, publish('rs/v1/x/y/frames', Buffer.alloc(20_000, 2)), PINGREQ, publish('c', Buffer.alloc(127, 3)), publish('c', Buffer.alloc(0))])

  it('passes packets within the limit through unchanged, however the bytes are chunked', async () => {
    for (const size of [1, 2, 3, 7, 128, 1000, stream.length]) {
      const { out, err } = await run(30_000, split(stream, size))
      assert.equal(err, null, `chunk size ${size}`)
      assert.ok(out.equals(stream), `chunk size ${size}`)
    }
  })

  it('fails on the fixed header of a packet over the limit, before its body arrives', async () => {
    const header = Buffer.from([0x30, ...varint(100 * 1024 * 1024)])
    for (const size of [1, 2, header.length]) {
      const { err } = await run(30_000, [PINGREQ, ...split(header, size)])
      assert.ok(err instanceof PacketTooLargeError, `chunk size ${size}`)
      assert.equal(err.remainingLength, 100 * 1024 * 1024)
    }
    // the limit is inclusive: 20,020 bytes pass a limit of exactly that
    const p = publish('rs/v1/x/y/frames', Buffer.alloc(20_000, 2))
    const remaining = p.length - 4 // 1 type byte + 3 length bytes
    assert.equal((await run(remaining, [p])).err, null)
    assert.ok((await run(remaining - 1, [p])).err instanceof PacketTooLargeError)
  })

  it('bounds the first packet (CONNECT, before login) more tightly than the rest', async () => {
    const big = publish('rs/v1/x/y/frames', Buffer.alloc(20_000, 2))
    // first: refused over the first-packet bound, even though the general limit allows it
    const first = await run(30_000, [big], 1000)
    assert.ok(first.err instanceof PacketTooLargeError)
    assert.equal(first.err.limit, 1000)
    // after a small first packet, the same packet passes
    const later = await run(30_000, [PINGREQ, big, big], 1000)
    assert.equal(later.err, null)
    assert.equal(later.out.length, PINGREQ.length + 2 * big.length)
  })
})
