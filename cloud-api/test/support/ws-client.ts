// A real `ws` client that keeps every message it receives and lets a test wait for one.
import WebSocket from 'ws'

export type Msg = Record<string, any> & { type: string }

export class TestClient {
  /** every message, those that came in a batch (a JSON array, /ws?batch=1) one by one */
  readonly messages: Msg[] = []
  /** WebSocket messages as they came: a batch counts once, with its length */
  readonly wire: number[] = []
  private waiters: Array<{ pred: (m: Msg) => boolean, resolve: (m: Msg) => void, from: number }> = []

  private constructor (readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const parsed = JSON.parse(isBinary ? '"binary"' : data.toString()) as Msg | Msg[]
      const list = Array.isArray(parsed) ? parsed : [parsed]
      this.wire.push(Array.isArray(parsed) ? list.length : 0)
      for (const m of list) {
        this.messages.push(m)
        this.waiters = this.waiters.filter(w => {
          if (!w.pred(m)) return true
          w.resolve(m)
          return false
        })
      }
    })
  }

  static async connect (url: string): Promise<TestClient> {
    const ws = new WebSocket(url)
    const c = new TestClient(ws)
    await new Promise<void>((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
    await c.next(m => m.type === 'hello')
    return c
  }

  send (msg: unknown): void { this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)) }

  /** The first message from index `from` on that matches (already received or still to come). */
  next (pred: (m: Msg) => boolean, from = 0): Promise<Msg> {
    for (let i = from; i < this.messages.length; i++) if (pred(this.messages[i])) return Promise.resolve(this.messages[i])
    return new Promise(resolve => this.waiters.push({ pred, resolve, from }))
  }

  /** Sends a message and waits for the reply of type `replyType` (or an error) that follows it. */
  async request (msg: unknown, replyType: string): Promise<Msg> {
    const from = this.messages.length
    this.send(msg)
    return await this.next(m => m.type === replyType || m.type === 'error', from)
  }

  of (type: string): Msg[] { return this.messages.filter(m => m.type === type) }

  async close (): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return
    await new Promise<void>(resolve => { this.ws.once('close', () => resolve()); this.ws.close() })
  }
}
