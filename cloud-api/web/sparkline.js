// A small canvas line for the fleet cards: the last minute of one channel, redrawn on demand.
export function drawSparkline (canvas, series, color) {
  const dpr = window.devicePixelRatio || 1
  const w = canvas.clientWidth
  const h = canvas.clientHeight
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
