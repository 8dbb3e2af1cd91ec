// Moves frames from the spool to the broker: QoS 1, at most `maxInflight` unacknowledged at once.
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

  constructor (
    private readonly client: MqttClient,
    private readonly topic: string,
    private readonly spool: Spool,
    private readonly maxInflight: number,
    private readonly log: Logger
  ) {}

  /** Publishes what the spool holds, up to the in-flight bound. Call after an append or a (re)connect. */
  pump (): void {
    while (this.client.connected && this.inflight < this.maxInflight) {
      const frame = this.spool.take()
      if (!frame) return
      this.send(frame)
    }
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
