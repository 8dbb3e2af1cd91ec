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
  const X = tt => ((tt - t0) / (t1 - t0)) * w
  const Y = vv => pad + (1 - (vv - lo) / (hi - lo)) * (h - 2 * pad)
  ctx.beginPath()
  ctx.moveTo(X(t[0]), Y(v[0]))
  for (let i = 1; i < t.length; i++) ctx.lineTo(X(t[i]), Y(v[i]))
  ctx.lineWidth = 1.25
  ctx.strokeStyle = color
  ctx.lineJoin = 'round'
  ctx.stroke()
  ctx.lineTo(X(t[t.length - 1]), h)
  ctx.lineTo(X(t[0]), h)
  ctx.closePath()
  const g = ctx.createLinearGradient(0, 0, 0, h)
  g.addColorStop(0, color + '40')
  g.addColorStop(1, color + '00')
  ctx.fillStyle = g
  ctx.fill()
}
