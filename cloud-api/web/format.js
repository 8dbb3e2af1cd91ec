// Small display helpers shared by the fleet cards and the rig view.
export const COLORS = ['#4cc2ff', '#f5a524', '#34d399', '#f472b6', '#a78bfa', '#fb7185', '#22d3ee', '#facc15']

const palette = new Map()
/** A stable colour per channel id. */
export function colorOf (id) {
  if (!palette.has(id)) palette.set(id, COLORS[palette.size % COLORS.length])
  return palette.get(id)
}

export function fmtValue (v) {
  if (v === undefined || v === null || Number.isNaN(v)) return '–'
  const a = Math.abs(v)
  if (a === 0) return '0'
  return a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3)
}

export function fmtAgo (us) {
  if (!us) return 'never'
  const s = Math.max(0, Math.round(Date.now() / 1000 - us / 1e6))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86400) return `${Math.round(s / 3600)} h ago`
  return `${Math.round(s / 86400)} d ago`
}

/** ok | warn | crit for one model head, from the profile's target (its healthy class). */
export function headSeverity (head, target) {
  if (!target) return 'warn'
  if (head.classIndex === target.healthy) return 'ok'
  const far = Math.max(target.healthy, target.values.length - 1 - target.healthy)
  return Math.abs(head.classIndex - target.healthy) >= far ? 'crit' : 'warn'
}

export function el (tag, cls, text) {
  const e = document.createElement(tag)
  if (cls) e.className = cls
  if (text !== undefined) e.textContent = text
  return e
}
