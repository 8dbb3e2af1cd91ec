// PostgreSQL side of the worker: predictions and alerts (migration 050_predictions.sql).
// Inserts are idempotent (ON CONFLICT DO NOTHING on the natural keys), so a redelivered window or
// a re-raised alert stores nothing new.
import type pg from 'pg'
import { classifyPgError } from '../../../ingest/src/store/pg-errors.js'
import { sqlUs } from '../../../ingest/src/store/time.js'
import type { AlertRow, PredictionRow, PredictionSourceName, StoredHead } from './types.js'
import type { ShadowRow, ShadowScore } from './shadow.js'

const US = (col: string): string => `timestamptz 'epoch' + ${col} * interval '1 microsecond'`

const INSERT_PREDICTIONS = `
INSERT INTO predictions (tenant, rig, window_start, window_end, model_version, source, first_seq, last_seq, classes, heads, produced_at)
SELECT t, r, ${US('ws')}, ${US('we')}, mv, src, fs, ls, string_to_array(cl, ',')::smallint[], h::jsonb, ${US('pu')}
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[], $10::text[], $11::bigint[])
  AS u(t, r, ws, we, mv, src, fs, ls, cl, h, pu)
ON CONFLICT DO NOTHING
RETURNING tenant, rig, ${sqlUs('window_start')} AS ws`

const INSERT_ALERTS = `
INSERT INTO alerts (id, tenant, rig, raised_at, severity, component, rule, message, source)
SELECT id, t, r, ${US('tu')}, sev, comp, rule, msg, src
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
  AS u(id, t, r, tu, sev, comp, rule, msg, src)
ON CONFLICT (id) DO NOTHING
RETURNING id`

const LIST_PREDICTIONS = `
SELECT tenant, rig, ${sqlUs('window_start')} AS window_start_us, ${sqlUs('window_end')} AS window_end_us, model_version, source,
  first_seq, last_seq, heads, ${sqlUs('produced_at')} AS produced_us
FROM predictions
WHERE tenant = $1 AND rig = $2 AND ($3::text IS NULL OR source = $3)
  AND ($4::bigint IS NULL OR window_start >= ${US('$4::bigint')})
  AND ($5::bigint IS NULL OR window_start < ${US('$5::bigint')})
ORDER BY window_start DESC, source, model_version
LIMIT $6`

const LIST_ALERTS = `
SELECT id, tenant, rig, ${sqlUs('raised_at')} AS time_us, severity, component, rule, message, source, raised_offline,
  ${sqlUs('acknowledged_at')} AS acknowledged_us, acknowledged_by
FROM alerts WHERE tenant = $1 AND rig = $2 AND ($3::boolean IS NULL OR (acknowledged_at IS NULL) = $3)
ORDER BY raised_at DESC LIMIT $4`

const ACK_ALERT = `
UPDATE alerts SET acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $4)
WHERE tenant = $1 AND rig = $2 AND id = $3
RETURNING ${sqlUs('acknowledged_at')} AS acknowledged_us, acknowledged_by`

// Edge vs cloud on the same window and model version: per target, how often the classes differ.
const DRIFT = `
SELECT count(*)::int AS windows,
  coalesce(array_agg(e.classes ORDER BY e.window_start) FILTER (WHERE e.classes <> c.classes), '{}') AS differing_edge,
  coalesce(array_agg(c.classes ORDER BY c.window_start) FILTER (WHERE e.classes <> c.classes), '{}') AS differing_cloud
FROM predictions c JOIN predictions e
  ON e.tenant = c.tenant AND e.rig = c.rig AND e.window_start = c.window_start AND e.model_version = c.model_version AND e.source = 'edge'
    AND cardinality(e.classes) = cardinality(c.classes)
WHERE c.tenant = $1 AND c.rig = $2 AND c.source = 'cloud' AND c.window_start >= ${US('$3::bigint')}`

const CLASS_HISTORY = `
SELECT u.t AS tenant, u.r AS rig, p.classes
FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(t, r, before_us)
CROSS JOIN LATERAL (
  SELECT classes, window_start FROM predictions
  WHERE tenant = u.t AND rig = u.r AND model_version = $4 AND source = $5 AND window_start < ${US('u.before_us')}
  ORDER BY window_start DESC LIMIT $6
) p
ORDER BY u.t, u.r, p.window_start`

// Shadow candidate (migration 160, shadow.ts): its rows, and its score against the active model's
// stored prediction of the same window (class values compared per target name) and the labels.
const INSERT_SHADOW = `
INSERT INTO shadow_predictions (tenant, rig, window_start, window_end, model_name, model_version, active_version, classes, heads, labels, produced_at)
SELECT t, r, ${US('ws')}, ${US('we')}, mn, mv, av, string_to_array(cl, ',')::smallint[], h::jsonb, lb::jsonb, ${US('pu')}
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[])
  AS u(t, r, ws, we, mn, mv, av, cl, h, lb, pu)
ON CONFLICT DO NOTHING
RETURNING tenant`

const SHADOW_FILTER = `s.model_name = $1 AND s.model_version = $2 AND ($3::text IS NULL OR s.tenant = $3) AND s.window_start >= ${US('$4::bigint')}`

const SHADOW_TOTALS = `
SELECT count(*)::int AS windows,
  count(p.tenant)::int AS compared,
  coalesce(array_agg(DISTINCT s.active_version), '{}') AS active_versions
FROM shadow_predictions s
LEFT JOIN predictions p
  ON p.tenant = s.tenant AND p.rig = s.rig AND p.window_start = s.window_start AND p.model_version = s.active_version AND p.source = 'cloud'
WHERE ${SHADOW_FILTER}`

const SHADOW_TARGETS = `
SELECT x.h->>'target' AS target,
  count(*)::int AS compared,
  count(*) FILTER (WHERE (x.h->>'value')::float8 = (y.h->>'value')::float8)::int AS agree,
  count(*) FILTER (WHERE s.labels ? (x.h->>'target'))::int AS labelled,
  count(*) FILTER (WHERE (x.h->>'value')::float8 = (s.labels->>(x.h->>'target'))::float8)::int AS correct,
  count(*) FILTER (WHERE (y.h->>'value')::float8 = (s.labels->>(x.h->>'target'))::float8)::int AS active_correct
FROM shadow_predictions s
JOIN predictions p
  ON p.tenant = s.tenant AND p.rig = s.rig AND p.window_start = s.window_start AND p.model_version = s.active_version AND p.source = 'cloud'
CROSS JOIN LATERAL jsonb_array_elements(s.heads) WITH ORDINALITY AS x(h, i)
JOIN LATERAL jsonb_array_elements(p.heads) AS y(h) ON y.h->>'target' = x.h->>'target'
WHERE ${SHADOW_FILTER}
GROUP BY 1
ORDER BY min(x.i)`

export interface PredictionOut extends PredictionRow {}

export interface AlertOut extends AlertRow { raisedOffline: boolean, acknowledgedUs: number | null, acknowledgedBy: string | null }

export interface DriftOut {
  /** windows predicted by both the edge and the cloud (same model version) since `sinceUs` */
  windows: number
  /** per target name: share of those windows whose classes differ */
  disagreement: Record<string, number>
}

export interface PredictionStore {
  /** stores rows; resolves with the keys that were new ("tenant/rig/windowStartUs") */
  insertPredictions (rows: PredictionRow[]): Promise<Set<string>>
  /** stores alerts; resolves with the ids that were new */
  insertAlerts (rows: AlertRow[]): Promise<Set<string>>
  listPredictions (q: { tenant: string, rig: string, source?: PredictionSourceName, fromUs?: number, toUs?: number, limit?: number }): Promise<PredictionOut[]>
  listAlerts (q: { tenant: string, rig: string, open?: boolean, limit?: number }): Promise<AlertOut[]>
  /** null when there is no such alert */
  acknowledgeAlert (tenant: string, rig: string, id: string, by: string): Promise<{ acknowledgedUs: number, acknowledgedBy: string } | null>
  drift (tenant: string, rig: string, sinceUs: number, targets: readonly string[]): Promise<DriftOut>
  /** per "tenant/rig": class indices of up to `limit` stored windows before `beforeUs`, oldest first */
  classHistory (rows: Array<{ tenant: string, rig: string, beforeUs: number }>, modelVersion: string, source: string, limit: number): Promise<Map<string, number[][]>>
  /** stores a shadow candidate's predictions (idempotent); resolves with how many were new */
  insertShadowPredictions (rows: ShadowRow[]): Promise<number>
  /** the candidate's score from the stored rows (tenant null: every tenant) */
  shadowScore (q: { modelName: string, modelVersion: string, tenant?: string | null, sinceUs?: number }): Promise<ShadowScore>
}

export const predictionKey = (tenant: string, rig: string, windowStartUs: number): string => `${tenant}/${rig}/${windowStartUs}`

async function q<R extends pg.QueryResultRow> (pool: pg.Pool, sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
  try {
    return await pool.query<R>(sql, params)
  } catch (err) {
    throw classifyPgError(err)
  }
}

export function createPredictionStore (pool: pg.Pool): PredictionStore {
  return {
    async insertPredictions (rows) {
      if (rows.length === 0) return new Set()
      const r = await q<{ tenant: string, rig: string, ws: string }>(pool, INSERT_PREDICTIONS, [
        rows.map(x => x.tenant), rows.map(x => x.rig), rows.map(x => x.windowStartUs), rows.map(x => x.windowEndUs),
        rows.map(x => x.modelVersion), rows.map(x => x.source), rows.map(x => x.firstSeq), rows.map(x => x.lastSeq),
        rows.map(x => x.heads.map(h => h.classIndex).join(',')), rows.map(x => JSON.stringify(x.heads)), rows.map(x => x.producedUs)
      ])
      return new Set(r.rows.map(x => predictionKey(x.tenant, x.rig, Number(x.ws))))
    },
    async insertAlerts (rows) {
      if (rows.length === 0) return new Set()
      const r = await q<{ id: string }>(pool, INSERT_ALERTS, [
        rows.map(x => x.id), rows.map(x => x.tenant), rows.map(x => x.rig), rows.map(x => x.timeUs), rows.map(x => x.severity),
        rows.map(x => x.component), rows.map(x => x.rule), rows.map(x => x.message), rows.map(x => x.source)
      ])
      return new Set(r.rows.map(x => x.id))
    },
    async listPredictions (o) {
      const r = await q<{ tenant: string, rig: string, window_start_us: string, window_end_us: string, model_version: string, source: PredictionSourceName, first_seq: string, last_seq: string, heads: StoredHead[], produced_us: string }>(
        pool, LIST_PREDICTIONS, [o.tenant, o.rig, o.source ?? null, o.fromUs ?? null, o.toUs ?? null, o.limit ?? 100])
      return r.rows.map(x => ({
        tenant: x.tenant,
        rig: x.rig,
        windowStartUs: Number(x.window_start_us),
        windowEndUs: Number(x.window_end_us),
        modelVersion: x.model_version,
        source: x.source,
        firstSeq: Number(x.first_seq),
        lastSeq: Number(x.last_seq),
        heads: x.heads,
        producedUs: Number(x.produced_us)
      }))
    },
    async listAlerts (o) {
      const r = await q<{ id: string, tenant: string, rig: string, time_us: string, severity: AlertRow['severity'], component: string, rule: string, message: string, source: PredictionSourceName, raised_offline: boolean, acknowledged_us: string | null, acknowledged_by: string | null }>(
        pool, LIST_ALERTS, [o.tenant, o.rig, o.open ?? null, o.limit ?? 100])
      return r.rows.map(x => ({
        id: x.id,
        tenant: x.tenant,
        rig: x.rig,
        timeUs: Number(x.time_us),
        severity: x.severity,
        component: x.component,
        rule: x.rule,
        message: x.message,
        source: x.source,
        raisedOffline: x.raised_offline,
        acknowledgedUs: x.acknowledged_us === null ? null : Number(x.acknowledged_us),
        acknowledgedBy: x.acknowledged_by
      }))
    },
    async acknowledgeAlert (tenant, rig, id, by) {
      const r = await q<{ acknowledged_us: string, acknowledged_by: string }>(pool, ACK_ALERT, [tenant, rig, id, by])
      const row = r.rows[0]
      return row ? { acknowledgedUs: Number(row.acknowledged_us), acknowledgedBy: row.acknowledged_by } : null
    },
    async classHistory (rows, modelVersion, source, limit) {
      const r = await q<{ tenant: string, rig: string, classes: number[] }>(pool, CLASS_HISTORY,
        [rows.map(x => x.tenant), rows.map(x => x.rig), rows.map(x => x.beforeUs), modelVersion, source, limit])
      const out = new Map<string, number[][]>()
      for (const x of r.rows) {
        const k = `${x.tenant}/${x.rig}`
        let list = out.get(k)
        if (!list) out.set(k, list = [])
        list.push(x.classes)
      }
      return out
    },
    async insertShadowPredictions (rows) {
      if (rows.length === 0) return 0
      const r = await q(pool, INSERT_SHADOW, [
        rows.map(x => x.tenant), rows.map(x => x.rig), rows.map(x => x.windowStartUs), rows.map(x => x.windowEndUs),
        rows.map(x => x.modelName), rows.map(x => x.modelVersion), rows.map(x => x.activeVersion),
        rows.map(x => x.heads.map(h => h.classIndex).join(',')), rows.map(x => JSON.stringify(x.heads)),
        rows.map(x => x.labels === null ? null : JSON.stringify(x.labels)), rows.map(x => x.producedUs)
      ])
      return r.rowCount ?? 0
    },
    async shadowScore (o) {
      const params = [o.modelName, o.modelVersion, o.tenant ?? null, o.sinceUs ?? 0]
      const [totals, targets] = await Promise.all([
        q<{ windows: number, compared: number, active_versions: string[] }>(pool, SHADOW_TOTALS, params),
        q<{ target: string, compared: number, agree: number, labelled: number, correct: number, active_correct: number }>(pool, SHADOW_TARGETS, params)
      ])
      const t = totals.rows[0]!
      return {
        modelName: o.modelName,
        modelVersion: o.modelVersion,
        tenant: o.tenant ?? null,
        sinceUs: o.sinceUs ?? 0,
        windows: t.windows,
        compared: t.compared,
        activeVersions: t.active_versions,
        targets: targets.rows.map(x => ({
          target: x.target,
          compared: x.compared,
          agreement: x.compared === 0 ? null : x.agree / x.compared,
          labelled: x.labelled,
          accuracy: x.labelled === 0 ? null : x.correct / x.labelled,
          activeAccuracy: x.labelled === 0 ? null : x.active_correct / x.labelled
        }))
      }
    },
    async drift (tenant, rig, sinceUs, targets) {
      const r = await q<{ windows: number, differing_edge: number[][], differing_cloud: number[][] }>(pool, DRIFT, [tenant, rig, sinceUs])
      const row = r.rows[0]!
      const disagreement: Record<string, number> = {}
      targets.forEach((t, i) => {
        let n = 0
        row.differing_edge.forEach((e, k) => { if (e[i] !== row.differing_cloud[k]![i]) n++ })
        disagreement[t] = row.windows === 0 ? 0 : n / row.windows
      })
      return { windows: row.windows, disagreement }
    }
  }
}
