/**
 * Keys of frames this process has already made durable (PostgreSQL committed and, when enabled,
 * Kafka acknowledged), newest last. A hit skips the database and Kafka entirely. It is only a
 * fast path: the authority on duplicates is the frame_keys primary key, which holds across
 * restarts and instances; a miss here just asks the database.
 */
export class DedupCache {
  private readonly keys = new Map<string, true>()

  constructor (private readonly capacity: number) {}

  static key (tenant: string, rig: string, seq: number): string {
    return tenant + '/' + rig + '/' + seq
  }

  has (key: string): boolean {
    return this.keys.has(key)
  }

  add (key: string): void {
    if (this.capacity <= 0) return
    this.keys.delete(key)
    this.keys.set(key, true)
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next()
      if (!oldest.done) this.keys.delete(oldest.value)
    }
  }

  get size (): number {
    return this.keys.size
  }
}
