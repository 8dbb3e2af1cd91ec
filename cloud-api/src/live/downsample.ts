/**
 * Display downsampling for the live push. A channel whose window holds at most `maxPoints`
 * samples goes out raw. A denser channel is cut into maxPoints/2 equal buckets and each bucket
 * sends its minimum and its maximum, in the order they occurred (a min/max envelope, so spikes
 * survive). The pairs are laid out at an even spacing `dtUs` = half a bucket, which is exact for
 * the bucket starts and within half a bucket for each extreme — plenty for a chart.
 */
export interface DisplaySeries {
  startUs: number
  dtUs: number
  v: number[]
}

/** Rounds for display: 3 decimals keep the wire small and are finer than any sensor here. */
function round (x: number): number {
  return Math.round(x * 1000) / 1000
}

export function downsample (samples: ArrayLike<number>, rateHz: number, startUs: number, maxPoints: number): DisplaySeries {
  const n = samples.length
  const dt = rateHz > 0 ? 1e6 / rateHz : 0
  if (n <= maxPoints || maxPoints < 2) {
    const v = new Array<number>(n)
    for (let i = 0; i < n; i++) v[i] = round(samples[i])
    return { startUs, dtUs: dt, v }
  }
  const buckets = Math.floor(maxPoints / 2)
  const size = Math.ceil(n / buckets)
  const v: number[] = []
  for (let b = 0; b < n; b += size) {
    const end = Math.min(n, b + size)
    let lo = b
    let hi = b
    for (let i = b + 1; i < end; i++) {
      const x = samples[i]
      if (x < samples[lo]) lo = i
      if (x > samples[hi]) hi = i
    }
    if (lo <= hi) v.push(round(samples[lo]), round(samples[hi]))
    else v.push(round(samples[hi]), round(samples[lo]))
  }
  return { startUs, dtUs: size * dt / 2, v }
}

/** Most points one channel may send for a window of `windowUs` at `perSecond` points per second (at least 2). */
export function pointsPerWindow (perSecond: number, windowUs: number): number {
  return Math.max(2, Math.floor(perSecond * windowUs / 1e6))
}
