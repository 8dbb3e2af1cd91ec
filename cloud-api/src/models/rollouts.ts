// Rollouts of a model version to a group of rigs in one tenant, and their rollback, in
// PostgreSQL (migration 100). A rollout stores one row per rig (pending), then publishes the
// model command to each; each rig's CommandReply moves its newest pending row to active, failed or
// rolled-back. A CommandReply carries no command id, so a reply is matched to the rig's newest
// pending command: starting a rollout marks the rig's older pending rows superseded, and a reply
// to a command sent by hand (`rigstream model deploy`) while one is pending counts for it.
import type pg from 'pg'
import type { Logger } from '../../../common/src/logger.js'
import { rsError, RigstreamError } from '../../../common/src/errors.js'
import type { ModelCommands, ModelReply } from './commands.js'
import type { ModelRegistry } from './registry.js'

export type RigStatus = 'pending' | 'active' | 'failed' | 'rolled-back' | 'superseded' | 'skipped'
export const RIG_STATUSES: readonly RigStatus[] = ['pending', 'active', 'failed', 'rolled-back', 'superseded', 'skipped']

export interface RolloutRig {
  rig: string
  targetVersion: string
  previousVersion: string | null
  status: RigStatus
  detail: string | null
  activeVersion: string | null
  updatedAt: string
}

export interface Rollout {
  id: number
  tenant: string
  kind: 'rollout' | 'rollback'
  name: string
  version: string
  rollbackOf: number | null
  rolledBackBy: number | null
  /** the named group it was started for (null: a list of rigs) */
  group: string | null
  createdAt: string
  createdBy: string
  counts: { pending: number, active: number, failed: number, rolledBack: number, superseded: number, skipped: number }
  rigs: RolloutRig[]
}

export interface RolloutServiceOptions {
  pool: pg.Pool
  registry: ModelRegistry
  /** null = no MQTT: rollouts are refused with RS_ERR_COMMANDS_UNAVAILABLE */
  commands: ModelCommands | null
  /** base URL agents reach this API at (…/api/v1/models/<name>/<version>/ is appended) */
  publicUrl: () => string
  log: Logger
}

/** Largest group of rigs in one rollout. */
export const MAX_ROLLOUT_RIGS = 500

interface RolloutRow { id: string, tenant: string, kind: 'rollout' | 'rollback', name: string, version: string, rollback_of: string | null, rolled_back_by: string | null, rig_group: string | null, created_at: Date, created_by: string }

export interface RigGroup { name: string, rigs: string[] }
interface RigRow { rollout_id: string, rig: string, target_version: string, previous_version: string | null, status: RigStatus, detail: string | null, active_version: string | null, updated_at: Date }

function dbError (err: unknown): Error {
  if (err instanceof RigstreamError) return err
  if ((err as { code?: string }).code === '23505') return rsError('RS_ERR_CONFLICT', 'this rollout was already rolled back')
  return rsError('RS_ERR_DB_UNAVAILABLE', (err as Error).message, err)
}

export class RolloutService {
  /** replies being applied (tests and close wait for them) */
  private applying: Promise<unknown> = Promise.resolve()

  constructor (private readonly o: RolloutServiceOptions) {
    o.commands?.onReply(r => {
      this.applying = this.applying.then(() => this.applyReply(r)).catch(err => o.log.error({ err, tenant: r.tenant, rig: r.rig }, 'rollouts: reply not recorded'))
    })
  }

  /** resolves once every reply received so far is recorded */
  async settled (): Promise<void> { await this.applying }

  packageUrl (name: string, version: string): string {
    return `${this.o.publicUrl().replace(/\/+$/, '')}/api/v1/models/${encodeURIComponent(name)}/${encodeURIComponent(version)}/`
  }

  /** to `rigs`, or to every rig of the named `group` (exactly one of the two) */
  async start (tenant: string, req: { name: string, version: string, rigs?: string[], group?: string }, actor: string): Promise<Rollout> {
    const commands = this.requireCommands()
    if ((req.rigs === undefined) === (req.group === undefined)) throw rsError('RS_ERR_BAD_REQUEST', 'give either rigs (a list) or group (a rig group name)')
    let rigs: string[]
    if (req.group !== undefined) {
      const g = (await this.groups(tenant, req.group))[0]
      if (!g) throw rsError('RS_ERR_NOT_FOUND', `rig group ${req.group} in tenant ${tenant}`)
      rigs = g.rigs
    } else {
      rigs = [...new Set(req.rigs)]
    }
    const pkg = await this.o.registry.get(req.name, req.version)
    if (!pkg) throw rsError('RS_ERR_NOT_FOUND', `model package ${req.name} ${req.version}`)
    // a bundled package is installed with the agents: they switch back to it without a download or a signature
    const bundled = pkg.source === 'bundled'
    if (!pkg.signed && !bundled) throw rsError('RS_ERR_MODEL_SIGNATURE', `${req.name} ${req.version} is not signed; agents refuse unsigned packages (rigstream model sign)`)
    if (!pkg.selfTest && !bundled) throw rsError('RS_ERR_MODEL_SELFTEST', `${req.name} ${req.version} has no self-test fixture; agents refuse it (rigstream model sign)`)
    await this.requireRigs(tenant, rigs)
    const previous = await this.knownVersions(tenant, rigs)
    const id = await this.insert(tenant, { kind: 'rollout', name: req.name, version: req.version, rollbackOf: null, group: req.group ?? null, actor },
      rigs.map(rig => ({ rig, target: req.version, previous: previous.get(rig) ?? null, status: 'pending' as const, detail: null })))
    await this.publish(commands, tenant, id, rigs.map(rig => ({ rig, version: req.version })), req.name)
    return (await this.get(tenant, id))!
  }

  async rollback (tenant: string, id: number, actor: string): Promise<Rollout> {
    const commands = this.requireCommands()
    const orig = await this.get(tenant, id)
    if (!orig) throw rsError('RS_ERR_NOT_FOUND', `rollout ${id} in tenant ${tenant}`)
    if (orig.kind === 'rollback') throw rsError('RS_ERR_CONFLICT', `rollout ${id} is itself a rollback; start a new rollout instead`)
    if (orig.rolledBackBy !== null) throw rsError('RS_ERR_CONFLICT', `rollout ${id} was already rolled back by rollout ${orig.rolledBackBy}`)
    const current = await this.knownVersions(tenant, orig.rigs.map(r => r.rig))
    const rows = orig.rigs.map(r => {
      const now = current.get(r.rig) ?? r.activeVersion ?? null
      if (r.previousVersion === null) return { rig: r.rig, target: '', previous: now, status: 'skipped' as const, detail: 'the version this rig ran before the rollout is not known' }
      if (now === r.previousVersion) return { rig: r.rig, target: r.previousVersion, previous: now, status: 'skipped' as const, detail: `${r.previousVersion} is already active` }
      return { rig: r.rig, target: r.previousVersion, previous: now, status: 'pending' as const, detail: null }
    })
    const rid = await this.insert(tenant, { kind: 'rollback', name: orig.name, version: orig.version, rollbackOf: id, group: orig.group, actor }, rows)
    await this.publish(commands, tenant, rid, rows.filter(r => r.status === 'pending').map(r => ({ rig: r.rig, version: r.target })), orig.name)
    return (await this.get(tenant, rid))!
  }

  async list (tenant: string, limit: number): Promise<Rollout[]> {
    try {
      const r = await this.o.pool.query<RolloutRow>(`${SELECT_ROLLOUT} WHERE r.tenant = $1 ORDER BY r.id DESC LIMIT $2`, [tenant, limit])
      return await this.withRigs(r.rows)
    } catch (err) { throw dbError(err) }
  }

  async get (tenant: string, id: number): Promise<Rollout | null> {
    try {
      const r = await this.o.pool.query<RolloutRow>(`${SELECT_ROLLOUT} WHERE r.tenant = $1 AND r.id = $2`, [tenant, id])
      return (await this.withRigs(r.rows))[0] ?? null
    } catch (err) { throw dbError(err) }
  }

  /** Each known rig of the tenant and the model version it last reported (command replies, else edge predictions). */
  async rigVersions (tenant: string): Promise<Array<{ rig: string, version: string | null, updatedAt: string | null }>> {
    try {
      const r = await this.o.pool.query<{ rig: string, version: string | null, updated_at: Date | null }>(
        `SELECT r.rig, coalesce(v.version, p.model_version) AS version, coalesce(v.updated_at, p.stored_at) AS updated_at
           FROM rigs r
           LEFT JOIN rig_model_versions v ON v.tenant = r.tenant AND v.rig = r.rig
           LEFT JOIN LATERAL (SELECT model_version, stored_at FROM predictions
                               WHERE tenant = r.tenant AND rig = r.rig AND source = 'edge'
                               ORDER BY window_start DESC LIMIT 1) p ON v.version IS NULL
          WHERE r.tenant = $1 ORDER BY r.rig`, [tenant])
      return r.rows.map(x => ({ rig: x.rig, version: x.version, updatedAt: x.updated_at?.toISOString() ?? null }))
    } catch (err) { throw dbError(err) }
  }

  /** The tenant's rig groups (or the one named), each with its rigs. */
  async groups (tenant: string, name?: string): Promise<RigGroup[]> {
    try {
      const r = await this.o.pool.query<{ group_name: string, rigs: string[] }>(
        `SELECT group_name, array_agg(rig ORDER BY rig) AS rigs FROM rig_groups
          WHERE tenant = $1 AND ($2::text IS NULL OR group_name = $2) GROUP BY group_name ORDER BY group_name`, [tenant, name ?? null])
      return r.rows.map(g => ({ name: g.group_name, rigs: g.rigs }))
    } catch (err) { throw dbError(err) }
  }

  /** Makes `rigs` (rigs the tenant has) the members of group `name`, created when missing. */
  async setGroup (tenant: string, name: string, rigs: string[]): Promise<RigGroup> {
    const members = [...new Set(rigs)].sort()
    await this.requireRigs(tenant, members)
    const client = await this.o.pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('DELETE FROM rig_groups WHERE tenant = $1 AND group_name = $2 AND NOT (rig = ANY($3))', [tenant, name, members])
      await client.query(`INSERT INTO rig_groups (tenant, group_name, rig) SELECT $1, $2, unnest($3::text[])
        ON CONFLICT (tenant, group_name, rig) DO NOTHING`, [tenant, name, members])
      await client.query('COMMIT')
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw dbError(err)
    } finally {
      client.release()
    }
    return { name, rigs: members }
  }

  /** Removes a group (not its rigs, not past rollouts); false when there was none. */
  async deleteGroup (tenant: string, name: string): Promise<boolean> {
    try {
      return ((await this.o.pool.query('DELETE FROM rig_groups WHERE tenant = $1 AND group_name = $2', [tenant, name])).rowCount ?? 0) > 0
    } catch (err) { throw dbError(err) }
  }

  /** Records one model CommandReply: the rig's version, and its newest pending rollout row. */
  async applyReply (r: ModelReply): Promise<void> {
    const client = await this.o.pool.connect()
    try {
      await client.query('BEGIN')
      if (r.activeVersion) {
        await client.query(`INSERT INTO rig_model_versions (tenant, rig, version) VALUES ($1, $2, $3)
          ON CONFLICT (tenant, rig) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`, [r.tenant, r.rig, r.activeVersion])
      }
      const p = (await client.query<{ rollout_id: string, target_version: string, previous_version: string | null }>(
        `SELECT rollout_id, target_version, previous_version FROM model_rollout_rigs
          WHERE tenant = $1 AND rig = $2 AND status = 'pending' ORDER BY rollout_id DESC LIMIT 1 FOR UPDATE`, [r.tenant, r.rig])).rows[0]
      if (p) {
        let status: RigStatus | null
        if (r.ok) status = r.activeVersion === p.target_version ? 'active' : null // an ok reply for another version is not ours
        else status = /rolled back to /.test(r.detail) ? 'rolled-back' : 'failed'
        if (status !== null) {
          // the agent says what it replaced: "model <name> <v> active (was <prev>)"
          const was = p.previous_version ?? (/\(was ([^)\s]+)\)/.exec(r.detail)?.[1] ?? null)
          await client.query(`UPDATE model_rollout_rigs SET status = $3, detail = $4, active_version = $5, previous_version = $6, updated_at = now()
            WHERE rollout_id = $1 AND rig = $2`, [p.rollout_id, r.rig, status, r.detail || null, r.activeVersion || null, was === '?' ? null : was])
          this.o.log.info({ tenant: r.tenant, rig: r.rig, rollout: Number(p.rollout_id), status, activeVersion: r.activeVersion }, 'rollout: rig replied')
        }
      }
      await client.query('COMMIT')
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      client.release()
    }
  }

  private requireCommands (): ModelCommands {
    const c = this.o.commands
    if (!c) throw rsError('RS_ERR_COMMANDS_UNAVAILABLE', 'this api was started without MQTT (MQTT_URL); it cannot reach rigs')
    if (!c.connected()) throw rsError('RS_ERR_COMMANDS_UNAVAILABLE', 'the MQTT connection is down; try again')
    return c
  }

  private async requireRigs (tenant: string, rigs: string[]): Promise<void> {
    let known: Set<string>
    try {
      known = new Set((await this.o.pool.query<{ rig: string }>('SELECT rig FROM rigs WHERE tenant = $1 AND rig = ANY($2)', [tenant, rigs])).rows.map(r => r.rig))
    } catch (err) { throw dbError(err) }
    const unknown = rigs.filter(r => !known.has(r))
    if (unknown.length > 0) throw rsError('RS_ERR_NOT_FOUND', `rigs of tenant ${tenant}: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''}`)
  }

  /** the model version each rig runs, as last reported (command reply, else newest edge prediction) */
  private async knownVersions (tenant: string, rigs: string[]): Promise<Map<string, string>> {
    try {
      const r = await this.o.pool.query<{ rig: string, version: string | null }>(
        `SELECT x.rig, coalesce(v.version, p.model_version) AS version
           FROM unnest($2::text[]) AS x (rig)
           LEFT JOIN rig_model_versions v ON v.tenant = $1 AND v.rig = x.rig
           LEFT JOIN LATERAL (SELECT model_version FROM predictions
                               WHERE tenant = $1 AND rig = x.rig AND source = 'edge'
                               ORDER BY window_start DESC LIMIT 1) p ON v.version IS NULL`, [tenant, rigs])
      return new Map(r.rows.filter(x => x.version !== null).map(x => [x.rig, x.version!]))
    } catch (err) { throw dbError(err) }
  }

  private async insert (tenant: string, h: { kind: 'rollout' | 'rollback', name: string, version: string, rollbackOf: number | null, group: string | null, actor: string },
    rows: Array<{ rig: string, target: string, previous: string | null, status: 'pending' | 'skipped', detail: string | null }>): Promise<number> {
    const client = await this.o.pool.connect()
    try {
      await client.query('BEGIN')
      const id = Number((await client.query<{ id: string }>(
        'INSERT INTO model_rollouts (tenant, kind, name, version, rollback_of, rig_group, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
        [tenant, h.kind, h.name, h.version, h.rollbackOf, h.group, h.actor])).rows[0].id)
      const pending = rows.filter(r => r.status === 'pending').map(r => r.rig)
      // an older command still waiting for a reply no longer gets one that is its own
      await client.query(`UPDATE model_rollout_rigs SET status = 'superseded', detail = $3, updated_at = now()
        WHERE tenant = $1 AND rig = ANY($2) AND status = 'pending'`, [tenant, pending, `superseded by rollout ${id}`])
      await client.query(`INSERT INTO model_rollout_rigs (rollout_id, tenant, rig, target_version, previous_version, status, detail)
        SELECT $1, $2, x.rig, x.target, x.previous, x.status, x.detail
          FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS x (rig, target, previous, status, detail)`,
      [id, tenant, rows.map(r => r.rig), rows.map(r => r.target), rows.map(r => r.previous), rows.map(r => r.status), rows.map(r => r.detail)])
      await client.query('COMMIT')
      return id
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw dbError(err)
    } finally {
      client.release()
    }
  }

  /** publishes one command per rig; a rig the broker did not take is marked failed at once */
  private async publish (commands: ModelCommands, tenant: string, id: number, targets: Array<{ rig: string, version: string }>, name: string): Promise<void> {
    const shaOf = new Map<string, string>()
    for (const v of new Set(targets.map(t => t.version))) shaOf.set(v, (await this.o.registry.get(name, v))?.sha256 ?? '')
    await Promise.all(targets.map(async t => {
      try {
        await commands.send(tenant, t.rig, { version: t.version, url: this.packageUrl(name, t.version), sha256: shaOf.get(t.version) ?? '' })
      } catch (err) {
        const detail = `${(err as RigstreamError).code ?? 'RS_ERR_COMMANDS_UNAVAILABLE'}: ${(err as Error).message}`
        this.o.log.warn({ tenant, rig: t.rig, rollout: id, err: detail }, 'rollout: command not published')
        await this.o.pool.query(`UPDATE model_rollout_rigs SET status = 'failed', detail = $3, updated_at = now()
          WHERE rollout_id = $1 AND rig = $2 AND status = 'pending'`, [id, t.rig, detail]).catch(() => {})
      }
    }))
  }

  private async withRigs (rows: RolloutRow[]): Promise<Rollout[]> {
    if (rows.length === 0) return []
    const rigs = (await this.o.pool.query<RigRow>(
      `SELECT rollout_id, rig, target_version, previous_version, status, detail, active_version, updated_at
         FROM model_rollout_rigs WHERE rollout_id = ANY($1) ORDER BY rollout_id, rig`, [rows.map(r => r.id)])).rows
    const by = new Map<string, RigRow[]>()
    for (const r of rigs) by.set(r.rollout_id, [...(by.get(r.rollout_id) ?? []), r])
    return rows.map(r => {
      const list = (by.get(r.id) ?? []).map(x => ({
        rig: x.rig,
        targetVersion: x.target_version,
        previousVersion: x.previous_version,
        status: x.status,
        detail: x.detail,
        activeVersion: x.active_version,
        updatedAt: x.updated_at.toISOString()
      }))
      const n = (s: RigStatus): number => list.filter(x => x.status === s).length
      return {
        id: Number(r.id),
        tenant: r.tenant,
        kind: r.kind,
        name: r.name,
        version: r.version,
        rollbackOf: r.rollback_of === null ? null : Number(r.rollback_of),
        rolledBackBy: r.rolled_back_by === null ? null : Number(r.rolled_back_by),
        group: r.rig_group,
        createdAt: r.created_at.toISOString(),
        createdBy: r.created_by,
        counts: { pending: n('pending'), active: n('active'), failed: n('failed'), rolledBack: n('rolled-back'), superseded: n('superseded'), skipped: n('skipped') },
        rigs: list
      }
    })
  }
}

const SELECT_ROLLOUT = `SELECT r.id, r.tenant, r.kind, r.name, r.version, r.rollback_of, b.id AS rolled_back_by, r.rig_group, r.created_at, r.created_by
  FROM model_rollouts r LEFT JOIN model_rollouts b ON b.rollback_of = r.id`
