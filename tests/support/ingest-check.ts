// What ingest's fault tests and the overload bench check in the database: every published
// (tenant, rig, seq) stored exactly once.
import type pg from 'pg'

export interface DeliveryCheck {
  /** frames in frame_keys for this tenant */
  stored: number
  /** published (rig, seq) not in frame_keys */
  lost: number
  /** (rig, seq) rows beyond the first in frame_keys, plus seqs whose frame_channels rows are not exactly one per channel */
  duplicates: number
  /** (rig, seq) in frame_keys that were never published */
  unexpected: number
  /** a few examples of what is wrong, for assertion messages */
  examples: string[]
}

/** `published`: rig -> n (seqs 1..n were published); `channels`: channels per frame */
export async function checkDelivery (pool: pg.Pool, tenant: string, published: Map<string, number>, channels: number): Promise<DeliveryCheck> {
  const keys = await pool.query<{ rig: string, seq: string, n: string }>(
    `SELECT r.rig, k.seq, count(*) AS n FROM frame_keys k JOIN rigs r ON r.id = k.rig_id
      WHERE r.tenant = $1 GROUP BY r.rig, k.seq`, [tenant])
  const rows = await pool.query<{ rig: string, seq: string, n: string, d: string }>(
    `SELECT r.rig, c.seq, count(*) AS n, count(DISTINCT c.channel) AS d FROM frame_channels c JOIN rigs r ON r.id = c.rig_id
      WHERE r.tenant = $1 GROUP BY r.rig, c.seq HAVING count(*) <> $2 OR count(DISTINCT c.channel) <> $2`, [tenant, channels])
  const seen = new Map<string, Set<number>>()
  const out: DeliveryCheck = { stored: 0, lost: 0, duplicates: 0, unexpected: 0, examples: [] }
  const note = (s: string): void => { if (out.examples.length < 10) out.examples.push(s) }
  for (const k of keys.rows) {
    const seq = Number(k.seq)
    const n = Number(k.n)
    out.stored++
    if (n > 1) { out.duplicates += n - 1; note(`${k.rig}/${seq} ${n} times in frame_keys`) }
    const max = published.get(k.rig) ?? 0
    if (seq < 1 || seq > max) { out.unexpected++; note(`${k.rig}/${seq} stored, never published`) }
    let s = seen.get(k.rig)
    if (!s) seen.set(k.rig, s = new Set())
    s.add(seq)
  }
  for (const r of rows.rows) { out.duplicates++; note(`${r.rig}/${r.seq}: ${r.n} channel rows, ${r.d} distinct channels (expected ${channels})`) }
  for (const [rig, n] of published) {
    const s = seen.get(rig) ?? new Set<number>()
    for (let seq = 1; seq <= n; seq++) {
      if (!s.has(seq)) { out.lost++; note(`${rig}/${seq} lost`) }
    }
  }
  return out
}

/** Waits for a condition; the deadline only turns a hang into a failure, it measures nothing. */
export async function waitFor (what: string, cond: () => boolean | Promise<boolean>, ms = 90_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

export async function storedCount (pool: pg.Pool, tenant: string): Promise<number> {
  const r = await pool.query<{ n: string }>('SELECT count(*) AS n FROM frame_keys k JOIN rigs r ON r.id = k.rig_id WHERE r.tenant = $1', [tenant])
  return Number(r.rows[0].n)
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Runs cleanups in reverse order, each bounded (a stuck one must not hold the whole test run). */
export async function runCleanups (cleanups: Array<() => Promise<unknown>>, eachMs = 30_000): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([c().catch(() => {}), new Promise(resolve => { timer = setTimeout(resolve, eachMs) })])
    clearTimeout(timer)
  }
}
