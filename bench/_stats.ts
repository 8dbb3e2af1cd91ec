// Small helpers the bench scripts share (bench/run.js does not list files starting with "_").

/** p50, p99 and max of latencies in ms, rounded to whole ms */
export function percentiles (xs: number[]): { p50LatencyMs: number, p99LatencyMs: number, maxLatencyMs: number } {
  const s = Float64Array.from(xs).sort()
  const at = (p: number): number => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN)
  return { p50LatencyMs: at(0.5), p99LatencyMs: at(0.99), maxLatencyMs: at(1) }
}

export async function sleep (ms: number): Promise<void> { await new Promise(resolve => setTimeout(resolve, ms)) }
