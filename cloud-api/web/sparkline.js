// A small canvas line for the fleet cards: the last minute of one channel, redrawn on demand.
// Canvas sizes are cached and kept by a ResizeObserver: reading clientWidth after the cards'
// text was written forced a layout of the whole fleet grid for every card drawn (with 500 rigs
// that was a fifth of the page's main thread in a CPU profile; bench/live.ts RS_BENCH_PAGE_PROFILE).
const sizes = new WeakMap()
// what each canvas shows: (series, points received, size, color); the same again is not redrawn
const drawn = new WeakMap()
const observer = typeof ResizeObserver === 'function'
  ? new ResizeObserver(entries => {
    for (const e of entries) {
      sizes.set(e.target, { w: e.contentRect.width, h: e.contentRect.height })
      const last = drawn.get(e.target) // drawn at another size: draw again (idle rigs get no other redraw)
      if (last && (last.w !== e.contentRect.width || last.h !== e.contentRect.height)) drawSparkline(e.target, last.series, last.color)
    }
  })
  : null

function sizeOf (canvas) {
  let s = sizes.get(canvas)
  if (!s || !observer) {
    s = { w: canvas.clientWidth, h: canvas.clientHeight }
    sizes.set(canvas, s)
    observer?.observe(canvas)
  }
  return s
}

export function drawSparkline (canvas, series, color) {
  const dpr = window.devicePixelRatio || 1
  const { w, h } = sizeOf(canvas)
  const last = drawn.get(canvas)
  if (last && last.series === series && last.received === series.received && last.w === w && last.h === h && last.color === color && last.dpr === dpr) return
  drawn.set(canvas, { series, received: series.received, w, h, color, dpr })
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr)
    canvas.height = Math.round(h * dpr)
  }
  const ctx = canvas.getContext('2d')
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
  ctx.clearRect(0, 0, w, h)
  const { t, v } = series
  if (t.length < 2) return
  const t1 = t[t.length - 1]
  const t0 = t1 - series.spanS
  let lo = Infinity
  let hi = -Infinity
  for (const x of v) { if (x < lo) lo = x; if (x > hi) hi = x }
  if (hi - lo < 1e-9) { hi += 1; lo -= 1 }
  const pad = 3
  const kx = w / (t1 - t0)
  const ky = (h - 2 * pad) / (hi - lo)
  // A minute of a live channel is ~1,200 points for a card ~250 px wide: the path gets at most
  // the first, lowest, highest and last point of each pixel column (the line looks the same, and
  // software rasterising a path costs by its points)
  ctx.beginPath()
  let col = -1
  let first = 0
  let x0 = 0
  for (let i = 0; i < t.length; i++) {
    const x = (t[i] - t0) * kx
    const c = Math.floor(x)
    if (c !== col) {
      if (col >= 0) flushColumn(ctx, t, v, first, i, t0, kx, lo, ky, pad, h)
      else x0 = x
      col = c
      first = i
    }
  }
  flushColumn(ctx, t, v, first, t.length, t0, kx, lo, ky, pad, h)
  ctx.lineWidth = 1.25
  ctx.strokeStyle = color
  ctx.lineJoin = 'round'
  ctx.stroke()
  ctx.lineTo((t[t.length - 1] - t0) * kx, h)
  ctx.lineTo(x0, h)
  ctx.closePath()
  ctx.fillStyle = color + '24' // a flat tint: a gradient costs more per pixel in a software canvas
  ctx.fill()
}

/** Points [from, to) of one pixel column: the first, the lowest and highest in time order, the last. */
function flushColumn (ctx, t, v, from, to, t0, kx, lo, ky, pad, h) {
  const X = i => (t[i] - t0) * kx
  const Y = i => pad + (h - 2 * pad) - (v[i] - lo) * ky
  const move = from === 0
  if (to - from <= 4) {
    for (let i = from; i < to; i++) { if (i === 0 && move) ctx.moveTo(X(i), Y(i)); else ctx.lineTo(X(i), Y(i)) }
    return
  }
  let mn = from
  let mx = from
  for (let i = from + 1; i < to - 1; i++) { if (v[i] < v[mn]) mn = i; if (v[i] > v[mx]) mx = i }
  const pts = [from, Math.min(mn, mx), Math.max(mn, mx), to - 1]
  for (let k = 0; k < 4; k++) {
    const i = pts[k]
    if (k > 0 && i === pts[k - 1]) continue
    if (k === 0 && move) ctx.moveTo(X(i), Y(i)); else ctx.lineTo(X(i), Y(i))
  }
}
