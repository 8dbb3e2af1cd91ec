// Fills a freshly selected rig's charts with its last minute from the REST API, so the page has
// a picture at once (a replayed rig sends one point a second) and live frames extend it.
import { Series } from './series.js'
import { api } from './auth.js'

const SPAN_US = 60_000_000

async function getJson (url) {
  const r = await api(url)
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`)
  return r.json()
}

/**
 * Learns the rig's channels from its newest stored frame, then loads the channels `pick(ids)`
 * returns: envelopes (1 s min/max) for fast channels, raw samples for slow ones.
 */
export async function loadHistory (m, pick) {
  const base = `/api/v1/rigs/${encodeURIComponent(m.tenant)}/${encodeURIComponent(m.rig)}`
  const { frames } = await getJson(`${base}/frames?limit=64`)
  if (frames.length === 0) return
  const newest = frames.filter(f => f.seq === frames[0].seq)
  for (const f of newest) if (!m.series.has(f.channel)) m.series.set(f.channel, new Series(60))
  const toUs = Math.max(...newest.map(f => f.startUs)) + 1_000_000
  const fromUs = toUs - SPAN_US
  const rate = new Map(newest.map(f => [f.channel, f.rateHz]))
  await Promise.all(pick([...rate.keys()]).map(async id => {
    const slow = rate.get(id) <= 2
    const s = await getJson(`${base}/series?channel=${id}&from=${fromUs}&to=${toUs}${slow ? '' : '&points=60'}`)
    const series = m.series.get(id)
    if (slow) {
      for (let i = 0; i < s.t.length; i++) series.push({ startUs: s.t[i], dtUs: 0, v: [s.v[i]] })
    } else {
      const half = (toUs - fromUs) / 60 / 2
      for (let i = 0; i < s.t.length; i++) series.push({ startUs: s.t[i], dtUs: half, v: [s.min[i], s.max[i]] })
    }
    m.pointsReceived += s.t.length
  }))
}
