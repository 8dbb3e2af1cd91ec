// Rig clock against server time. Frames keep the rig clock's timestamps (that is what the sensors
// saw); this only measures how far that clock is from a server's and reports it (agent stats and
// one log line per change of state), so an operator can fix NTP before ingest starts rejecting
// frames (RS_ERR_CLOCK) or charts shift.
//
// Server time comes from the HTTP `Date` header of any server the agent can reach (the cloud API
// by default in `npm start`). MQTT 3.1.1 carries no time, so the broker itself cannot be asked.
// The header has one-second resolution: the estimate is server + 500 ms minus the midpoint of the
// request, uncertain by 500 ms plus half the round trip; drift is reported only past
// tolerance + that uncertainty, so a one-second header never raises a false alarm.
import type { Logger } from '../../common/src/logger.js'

export interface ClockSample {
  /** server minus rig clock, ms: positive = the rig clock is behind */
  offsetMs: number
  uncertaintyMs: number
}

export async function measureClockOffset (url: string, timeoutMs = 5000, now: () => number = Date.now): Promise<ClockSample> {
  const t0 = now()
  const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) })
  const t1 = now()
  const date = res.headers.get('date')
  const server = date === null ? NaN : Date.parse(date)
  if (!Number.isFinite(server)) throw new Error(`${url} sent no usable Date header`)
  return { offsetMs: Math.round(server + 500 - (t0 + t1) / 2), uncertaintyMs: Math.round(500 + (t1 - t0) / 2) }
}

export interface ClockDriftOptions {
  url: string
  /** default 2000 ms */
  toleranceMs?: number
  /** default every 10 minutes */
  intervalMs?: number
  log: Logger
  now?: () => number
}

export interface ClockDriftState {
  /** last measured offset (server minus rig clock), null before the first answer */
  clockOffsetMs: number | null
  /** true while the offset is beyond tolerance + uncertainty */
  clockDrift: boolean
}

export class ClockDriftMonitor {
  private state: ClockDriftState = { clockOffsetMs: null, clockDrift: false }
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private unreachableLogged = false
  private readonly tolerance: number

  constructor (private readonly o: ClockDriftOptions) {
    this.tolerance = o.toleranceMs ?? 2000
  }

  start (): void {
    void this.check()
    this.timer = setInterval(() => { void this.check() }, this.o.intervalMs ?? 600_000)
    this.timer.unref()
  }

  stats (): ClockDriftState {
    return { ...this.state }
  }

  /** One measurement; logs only when the drift state changes (or the first time the server cannot be asked). */
  check (): Promise<void> {
    this.running ??= this.measure().finally(() => { this.running = undefined })
    return this.running
  }

  private async measure (): Promise<void> {
    let s: ClockSample
    try {
      s = await measureClockOffset(this.o.url, 5000, this.o.now)
    } catch (err) {
      if (!this.unreachableLogged) this.o.log.warn({ url: this.o.url, err: (err as Error).message }, 'cannot read server time; clock drift not checked')
      this.unreachableLogged = true
      return
    }
    this.unreachableLogged = false
    const drift = Math.abs(s.offsetMs) > this.tolerance + s.uncertaintyMs
    const changed = drift !== this.state.clockDrift || this.state.clockOffsetMs === null
    this.state = { clockOffsetMs: s.offsetMs, clockDrift: drift }
    if (!changed) return
    if (drift) this.o.log.warn({ offsetMs: s.offsetMs, uncertaintyMs: s.uncertaintyMs, toleranceMs: this.tolerance, url: this.o.url }, 'rig clock drifts from server time; frame timestamps keep the rig clock')
    else this.o.log.info({ offsetMs: s.offsetMs, uncertaintyMs: s.uncertaintyMs, toleranceMs: this.tolerance }, 'rig clock agrees with server time')
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    await this.running
  }
}
