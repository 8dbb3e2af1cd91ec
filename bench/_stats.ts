// Small helpers the bench scripts share (bench/run.js does not list files starting with "_").
import { readFileSync } from 'node:fs'

/** p50, p99 and max of latencies in ms, rounded to whole ms */
export function percentiles (xs: number[]): { p50LatencyMs: number, p99LatencyMs: number, maxLatencyMs: number } {
  const s = Float64Array.from(xs).sort()
  const at = (p: number): number => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN)
  return { p50LatencyMs: at(0.5), p99LatencyMs: at(0.99), maxLatencyMs: at(1) }
}

/** user + system CPU seconds of a process so far (Linux /proc/<pid>/stat, clock ticks of 1/100 s); null when it cannot be read (gone, not Linux) */
export function processCpuSeconds (pid: number | undefined | null): number | null {
  if (!pid) return null
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // fields after the ")" that closes the command name: utime is field 14, stime 15
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) / 100
  } catch { return null }
}

export async function sleep (ms: number): Promise<void> { await new Promise(resolve => setTimeout(resolve, ms)) }
