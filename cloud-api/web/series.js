// A rolling window of (time s, value) points for one channel, fed by downsampled live frames.
export class Series {
  constructor (spanS = 60) {
    this.spanS = spanS
    this.t = []
    this.v = []
    this.received = 0
  }

  /** Appends one channel of a frames message: {startUs, dtUs, v}. */
  push (ch) {
    const { startUs, dtUs, v } = ch
    for (let i = 0; i < v.length; i++) {
      const t = (startUs + i * dtUs) / 1e6
      // frames can arrive out of order after a reconnect: keep the arrays sorted by time
      if (this.t.length > 0 && t <= this.t[this.t.length - 1]) {
        if (t < this.t[this.t.length - 1] - this.spanS) continue
        const at = this.t.findIndex(x => x >= t)
        if (this.t[at] === t) { this.v[at] = v[i]; continue }
        this.t.splice(at, 0, t)
        this.v.splice(at, 0, v[i])
      } else {
        this.t.push(t)
        this.v.push(v[i])
      }
    }
    this.received += v.length
    this.trim()
  }

  trim () {
    if (this.t.length === 0) return
    const cut = this.t[this.t.length - 1] - this.spanS
    let n = 0
    while (n < this.t.length && this.t[n] < cut) n++
    if (n > 0) { this.t.splice(0, n); this.v.splice(0, n) }
  }

  get last () { return this.v.length ? this.v[this.v.length - 1] : undefined }
}
