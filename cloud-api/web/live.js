// The page's end of GET /ws (protocol: cloud-api/src/live/protocol.ts). Reconnects by itself with
// capped, jittered backoff and subscribes again to what it had. Closed by the server with 4401
// (token expired) it does not reconnect: it dispatches 'unauthorized'.
export const TOKEN_EXPIRED = 4401

export class LiveSocket extends EventTarget {
  /** url: the address, or a function returning it (read at every (re)connect, e.g. with a token) */
  constructor (url) {
    super()
    this.url = url
    this.subs = new Map() // "tenant/rig" -> channels (array or null)
    this.state = 'connecting'
    this.attempt = 0
    this.open()
  }

  open () {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting')
    const ws = new WebSocket(typeof this.url === 'function' ? this.url() : this.url)
    this.ws = ws
    ws.onopen = () => {
      this.attempt = 0
      this.setState('open')
      for (const [key, channels] of this.subs) this.sendSubscribe(key, channels)
    }
    ws.onmessage = ev => {
      let msg
      try { msg = JSON.parse(ev.data) } catch { return }
      // batch=1: what the server wrote in one turn comes as one array (one task here, not hundreds)
      if (Array.isArray(msg)) { for (const m of msg) this.dispatchEvent(new CustomEvent(m.type, { detail: m })) } else this.dispatchEvent(new CustomEvent(msg.type, { detail: msg }))
    }
    ws.onclose = ev => {
      if (this.ws !== ws) return
      if (ev.code === TOKEN_EXPIRED) {
        this.ws = null
        this.setState('closed')
        this.dispatchEvent(new CustomEvent('unauthorized', { detail: ev.reason }))
        return
      }
      this.setState('reconnecting')
      const delay = Math.min(10_000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2)
      setTimeout(() => this.open(), delay)
    }
    ws.onerror = () => ws.close()
  }

  setState (s) {
    this.state = s
    this.dispatchEvent(new CustomEvent('connection', { detail: s }))
  }

  /** channels: array of ids, or null for every channel */
  subscribe (tenant, rig, channels) {
    const key = `${tenant}/${rig}`
    const same = this.subs.has(key) && JSON.stringify(this.subs.get(key)) === JSON.stringify(channels)
    this.subs.set(key, channels)
    if (!same) this.sendSubscribe(key, channels)
  }

  unsubscribe (tenant, rig) {
    if (!this.subs.delete(`${tenant}/${rig}`)) return
    this.send({ type: 'unsubscribe', tenant, rig })
  }

  sendSubscribe (key, channels) {
    const [tenant, rig] = key.split('/')
    this.send(channels ? { type: 'subscribe', tenant, rig, channels } : { type: 'subscribe', tenant, rig })
  }

  send (msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg))
  }
}
