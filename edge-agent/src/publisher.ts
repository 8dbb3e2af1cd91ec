// Moves frames from the spool to the broker: QoS 1, at most `maxInflight` unacknowledged at once,
// and at most `ratePerS` frames a second (a token bucket holding one second's worth): live frames
// never reach the cap, a backlog replayed after an outage is paced by it (docs/edge.md).
import type { MqttClient } from 'mqtt'
import type { Logger } from '../../common/src/logger.js'
import type { Spool, SpoolFrame } from './spool/types.js'

export class Publisher {
  /** frames handed to MQTT for the first time */
  published = 0
  /** frames acknowledged by the broker (PUBACK) */
  acked = 0
  private inflight = 0
  private highestPublished = 0
  private readonly waiters: Array<() => void> = []
  private tokens: number
  private refilledAt = performance.now()
  private paced: NodeJS.Timeout | undefined
  private readonly burst: number

  constructor (
    private readonly client: MqttClient,
    private readonly topic: string,
    private readonly spool: Spool,
    private readonly maxInflight: number,
    private readonly log: Logger,
    /** frames per second at most; 0 = no cap */
    private readonly ratePerS = 0
  ) {
    this.burst = Math.max(1, ratePerS)
    this.tokens = this.burst
  }

  /** Publishes what the spool holds, up to the in-flight bound and the rate. Call after an append or a (re)connect. */
  pump (): void {
    while (this.client.connected && this.inflight < this.maxInflight) {
      if (this.ratePerS > 0 && !this.token()) return
      const frame = this.spool.take()
      if (!frame) return
      if (this.ratePerS > 0) this.tokens -= 1
      this.send(frame)
    }
  }

  /** true when a token is there; otherwise pump() is scheduled for when the next one is */
  private token (): boolean {
    const now = performance.now()
    this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.ratePerS / 1000)
    this.refilledAt = now
    if (this.tokens >= 1) return true
    if (!this.paced) {
      this.paced = setTimeout(() => {
        this.paced = undefined
        this.pump()
      }, Math.ceil((1 - this.tokens) * 1000 / this.ratePerS))
      this.paced.unref()
    }
    return false
  }

  /** Cancels a paced pump (stopping). */
  halt (): void {
    clearTimeout(this.paced)
    this.paced = undefined
  }

  /** Resolves at the next ack or failed publish (a change in what the spool holds). */
  settled (): Promise<void> {
    return new Promise(resolve => this.waiters.push(resolve))
  }

  /** Wakes everyone waiting in settled() (used when stopping). */
  wake (): void {
    for (const w of this.waiters.splice(0)) w()
  }

  private send (frame: SpoolFrame): void {
    this.inflight++
    if (frame.seq > this.highestPublished) {
      this.highestPublished = frame.seq
      this.published++
    }
    const p = frame.payload
    // While disconnected, mqtt.js keeps an in-flight QoS 1 publish in its store and sends it again
    // after reconnecting (persistent session); the callback runs on PUBACK.
    this.client.publish(this.topic, Buffer.from(p.buffer, p.byteOffset, p.byteLength), { qos: 1 }, err => {
      this.inflight--
      if (err) {
        this.log.warn({ seq: frame.seq, err: err.message }, 'publish failed; frame kept for another attempt')
        this.spool.release(frame.seq)
        this.wake()
        return
      }
      this.acked++
      this.spool.ack(frame.seq).then(() => {
        this.wake()
        this.pump()
      }, (e: unknown) => this.log.error({ seq: frame.seq, err: e }, 'spool ack failed'))
    })
  }
}
