// A byte bound on each MQTT packet, enforced before the packet is buffered.
//
// aedes's parser (mqtt-packet) collects a whole packet in memory before anyone sees it, and the
// MQTT fixed header allows a remaining length of up to 256 MiB [MQTT-2.2.3]. This pass-through
// stream reads only the fixed headers (type byte + 1-4 length bytes) and skips bodies, so it
// costs a few operations per packet, not per byte; a packet announcing more than `limit` bytes
// fails the stream before its body arrives, and the connection is closed.
import { Duplex, Transform, type TransformCallback } from 'node:stream'

const enum State { Type, Length, Body }

export class PacketTooLargeError extends Error {
  constructor (readonly remainingLength: number, readonly limit: number) {
    super(`MQTT packet of ${remainingLength} bytes exceeds the limit of ${limit}`)
    this.name = 'PacketTooLargeError'
  }
}

/** The first packet of a connection (CONNECT, sent before login) is bounded by this, at most:
 * client id, username, password and a will message fit many times over, and an unauthenticated
 * client cannot make the broker buffer a frame-sized packet. */
export const FIRST_PACKET_LIMIT = 64 * 1024

export class FrameGuard extends Transform {
  readonly #limit: number
  readonly #firstLimit: number
  #first = true
  #state = State.Type
  #length = 0
  #multiplier = 1
  #lengthBytes = 0
  #remaining = 0

  /** `firstLimit`: the bound on the first packet (default the same as every other's) */
  constructor (limit: number, firstLimit = limit) {
    super()
    this.#limit = limit
    this.#firstLimit = Math.min(firstLimit, limit)
  }

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let i = 0
    while (i < chunk.length) {
      if (this.#state === State.Body) {
        const skip = Math.min(this.#remaining, chunk.length - i)
        i += skip
        this.#remaining -= skip
        if (this.#remaining === 0) this.#state = State.Type
      } else if (this.#state === State.Type) {
        i++
        this.#state = State.Length
        this.#length = 0
        this.#multiplier = 1
        this.#lengthBytes = 0
      } else {
        const b = chunk[i++]
        this.#length += (b & 0x7f) * this.#multiplier
        this.#multiplier *= 128
        this.#lengthBytes++
        if ((b & 0x80) !== 0) {
          // [MQTT-2.2.3] at most four bytes of remaining length: leave the malformed header to the parser
          if (this.#lengthBytes === 4) { this.#state = State.Body; this.#remaining = Infinity }
          continue
        }
        const limit = this.#first ? this.#firstLimit : this.#limit
        this.#first = false
        if (this.#length > limit) return done(new PacketTooLargeError(this.#length, limit))
        this.#remaining = this.#length
        this.#state = this.#remaining > 0 ? State.Body : State.Type
      }
    }
    done(null, chunk)
  }
}

/**
 * `conn` with a FrameGuard on its readable side; writes go straight to `conn`. Destroying the
 * result destroys `conn`. `onTooLarge` runs once when a packet is refused, before the close.
 */
export function guardConnection (conn: Duplex, limit: number, onTooLarge: (err: PacketTooLargeError) => void): Duplex {
  const guard = new FrameGuard(limit, FIRST_PACKET_LIMIT)
  conn.pipe(guard)
  conn.on('error', err => guard.destroy(err))
  const guarded = Duplex.from({ readable: guard, writable: conn })
  guard.once('error', err => {
    if (err instanceof PacketTooLargeError) onTooLarge(err)
    conn.destroy()
  })
  return guarded
}
