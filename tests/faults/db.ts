// What the fault tests read back from the database: the seqs stored for one rig, and the rows.
import type pg from 'pg'

/** seqs in frame_keys (the dedup table: one row per accepted frame), ascending */
export async function storedSeqs (pool: pg.Pool, tenant: string, rig: string): Promise<number[]> {
  const r = await pool.query<{ seq: string }>('SELECT k.seq FROM frame_keys k JOIN rigs r ON r.id = k.rig_id WHERE r.tenant = $1 AND r.rig = $2 ORDER BY k.seq', [tenant, rig])
  return r.rows.map(x => Number(x.seq))
}

/** (seq, channel) pairs stored more than once, and seqs whose channel count differs from `channels` */
export async function rowAnomalies (pool: pg.Pool, tenant: string, channels: number): Promise<string[]> {
  const r = await pool.query<{ rig: string, seq: string, n: string, distinct_channels: string }>(
    `SELECT r.rig, c.seq, count(*) AS n, count(DISTINCT c.channel) AS distinct_channels
       FROM frame_channels c JOIN rigs r ON r.id = c.rig_id
      WHERE r.tenant = $1
      GROUP BY r.rig, c.seq
     HAVING count(*) <> $2 OR count(DISTINCT c.channel) <> $2`, [tenant, channels])
  return r.rows.map(x => `${x.rig} seq ${x.seq}: ${x.n} rows, ${x.distinct_channels} channels`)
}

export async function deadLetters (pool: pg.Pool): Promise<number> {
  const r = await pool.query<{ n: string }>('SELECT count(*) AS n FROM dead_letters')
  return Number(r.rows[0].n)
}

/** missing values of 1..max in a sorted list, as ranges "a-b" */
export function gaps (sorted: number[], max: number): string[] {
  const out: string[] = []
  let expect = 1
  for (const s of [...sorted, max + 1]) {
    if (s > expect) out.push(s - 1 === expect ? `${expect}` : `${expect}-${s - 1}`)
    expect = Math.max(expect, s + 1)
  }
  return out
}
