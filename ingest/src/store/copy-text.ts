// COPY ... FROM STDIN in PostgreSQL's text format for frame_channels rows. Issue 5 measures text
// against binary COPY; the writer only sees `frameChannelRows`, so either can sit behind it.
import type { AcceptedFrame } from '../validate.js'
import { usToTimestamp } from './time.js'

/** Column order of the COPY statement; keep in step with `frameChannelRows`. */
export const FRAME_CHANNEL_COLUMNS = ['rig_id', 'channel', 'start_time', 'seq', 'rate_hz', 'n', 'min', 'max', 'mean', 'samples'] as const

/**
 * A float32 value as text that PostgreSQL's float4in reads back to the same float: the shortest
 * decimal of the double (which holds the float exactly) lies within half a double ulp of it, so
 * the nearest float is the original. -0 keeps its sign; NaN/Infinity never reach here (validated).
 */
export function floatText (v: number): string {
  return v === 0 && 1 / v < 0 ? '-0' : String(v)
}

/** A real[] literal, e.g. {1.5,-0,3.4028234663852886e+38}, that reads back to the same floats. */
export function samplesText (s: readonly number[]): string {
  let arr = '{'
  for (let i = 0; i < s.length; i++) arr += (i === 0 ? '' : ',') + floatText(s[i])
  return arr + '}'
}

/** Text-format lines (one per channel, each ending in \n) for one accepted frame. */
export function frameChannelRows (rigId: number, f: AcceptedFrame): string {
  let out = ''
  for (const c of f.channels) {
    const s = c.samples
    const arr = samplesText(s)
    // channel ids are profile ids ([A-Za-z0-9_]), so no COPY escaping is needed
    out += `${rigId}\t${c.id}\t${usToTimestamp(c.startUs)}\t${f.seq}\t${floatText(c.rateHz)}\t${s.length}\t${floatText(c.min)}\t${floatText(c.max)}\t${String(c.mean)}\t${arr}\n`
  }
  return out
}
