// The agent's active model and how it changes. Layout under `dir` (stateDir/<tenant>/<rig>/models):
//   versions/<version>/   verified packages (the active one and the one before it)
//   active.json           { version, previous } — version null: the base package is active;
//                         written to a temp file, fsynced, renamed
//   .incoming-*           downloads in progress (removed at start: never trusted)
// An update is downloaded and verified into .incoming-*, renamed into versions/, loaded and
// self-tested; only then does it become active (active.json renamed over, runtime swapped).
// If it fails to load or fails the self-test the running model carries on (automatic rollback),
// and at start a stored active version that no longer loads falls back to the previous one, then
// to the configured base package.
import type { KeyObject } from 'node:crypto'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { rsError, RigstreamError } from '../../../common/src/errors.js'
import type { Logger } from '../../../common/src/logger.js'
import { loadModel } from '../../../inference/src/runtime.js'
import type { ModelRuntime } from '../../../inference/src/types.js'
import { downloadPackage, writeDurably } from './download.js'
import { parseFixture, runSelfTest, SELF_TEST_FILE } from './self-test.js'

export interface ModelManagerOptions {
  /** where verified packages and active.json live */
  dir: string
  /** the package used when no update is active (default: the reference package) */
  baseModelDir: string
  /** Ed25519 public key that update packages must be signed with; none = updates refused */
  publicKey?: KeyObject
  /** base URL of cloud-api's model packages (…/api/v1/models); a command without url uses <base>/<name>/<version>/ */
  updateBaseUrl?: string
  backend?: 'node' | 'web' | 'auto' | 'ts'
  /** name of the native build (tests force the WASM fallback with a name that cannot load) */
  nodeModule?: string
  log: Logger
  maxPackageBytes?: number
  downloadTimeoutMs?: number
}

export interface UpdateRequest { version: string, url?: string, sha256?: string }
export interface UpdateResult { ok: boolean, detail: string, activeVersion: string, code?: string }

interface Active { version: string, dir: string }

export class ModelManager {
  private rt!: ModelRuntime
  private active!: Active
  private previous: Active | undefined
  private chain: Promise<unknown> = Promise.resolve()
  private updating = false
  /** aborts a download in progress when the agent stops (systemd gives it 20 s, a download may take longer) */
  private readonly closing = new AbortController()
  readonly counters = { updatesOk: 0, updatesFailed: 0, rollbacks: 0 }

  private constructor (private readonly o: ModelManagerOptions) {}

  static async open (o: ModelManagerOptions): Promise<ModelManager> {
    const m = new ModelManager(o)
    await mkdir(join(o.dir, 'versions'), { recursive: true })
    for (const n of await readdir(o.dir)) if (n.startsWith('.incoming-')) await rm(join(o.dir, n), { recursive: true, force: true })
    const stored = await m.readActive()
    // version null: the base package is the active one (a rollback to it, or the fallback when
    // nothing stored loaded); `previous` is then only what a later rollback could go back to
    const onBase = stored !== undefined && stored.version === null
    const candidates: Array<Active & { why: string }> = []
    if (!onBase) {
      if (stored?.version) candidates.push({ version: stored.version, dir: m.versionDir(stored.version), why: 'active' })
      if (stored?.previous) candidates.push({ version: stored.previous, dir: m.versionDir(stored.previous), why: 'previous' })
    }
    for (const c of candidates) {
      try {
        const rt = await m.loadChecked(c.dir)
        m.rt = rt
        m.active = { version: rt.manifest.version, dir: c.dir }
        if (c.why === 'active' && stored?.previous) m.previous = { version: stored.previous, dir: m.versionDir(stored.previous) }
        if (c.why === 'previous') {
          m.counters.rollbacks++
          o.log.warn({ version: c.version }, 'model: the stored active version does not load; rolled back to the previous one')
          await m.writeActive()
        }
        break
      } catch (err) {
        o.log.error({ err: (err as Error).message, version: c.version }, 'model: stored version does not load')
      }
    }
    if (m.active === undefined) {
      m.rt = await m.loadChecked(o.baseModelDir, true)
      m.active = { version: m.rt.manifest.version, dir: o.baseModelDir }
      if (onBase && stored?.previous) m.previous = { version: stored.previous, dir: m.versionDir(stored.previous) }
      if (candidates.length > 0) {
        m.counters.rollbacks++
        await m.writeActive()
      }
    }
    o.log.info({ model: m.rt.manifest.name, version: m.active.version, backend: m.rt.backend }, 'model active')
    return m
  }

  runtime (): ModelRuntime { return this.rt }
  version (): string { return this.active.version }

  /** Runs fn with the active runtime; a swap waits for it (the old runtime is closed after). */
  exclusive<T> (fn: (rt: ModelRuntime) => Promise<T>): Promise<T> {
    const p = this.chain.then(() => fn(this.rt))
    this.chain = p.catch(() => {})
    return p
  }

  async update (req: UpdateRequest): Promise<UpdateResult> {
    const log = this.o.log.child({ update: req.version })
    const fail = (err: unknown): UpdateResult => {
      this.counters.updatesFailed++
      const code = (err as { code?: string }).code
      const detail = err instanceof RigstreamError ? `${err.code}: ${err.message}` : String((err as Error).message ?? err)
      log.warn({ code, err: detail, active: this.active.version }, 'model update refused; the running model carries on')
      return { ok: false, detail, activeVersion: this.active.version, code }
    }
    if (!/^[\w][\w.+-]{0,63}$/.test(req.version)) return fail(rsError('RS_ERR_MODEL_COMMAND', `version ${JSON.stringify(req.version)} must be 1-64 characters of A-Z a-z 0-9 _ . + -`))
    if (this.updating) return fail(rsError('RS_ERR_MODEL_COMMAND', 'another model update is in progress'))
    if (req.version === this.active.version) return { ok: true, detail: `version ${req.version} is already active`, activeVersion: req.version }
    // back to the package installed with the agent (a rollback of a first rollout): it is on this
    // gateway already, trusted as installed; no download, so no signature is needed
    const base = await this.baseInfo()
    if (base !== undefined && req.version === base.version && (req.sha256 === undefined || req.sha256 === '' || req.sha256.toLowerCase() === base.manifestSha256)) {
      return await this.switchToBase(log, fail)
    }
    if (this.o.publicKey === undefined) return fail(rsError('RS_ERR_MODEL_SIGNATURE', 'no model.publicKey is configured: this agent accepts no model updates'))
    let url = req.url ?? ''
    if (url === '') {
      if (!this.o.updateBaseUrl) return fail(rsError('RS_ERR_MODEL_COMMAND', 'the command has no url and no model.updateBaseUrl is configured'))
      url = `${this.o.updateBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(this.rt.manifest.name)}/${encodeURIComponent(req.version)}/`
    }
    this.updating = true
    const incoming = join(this.o.dir, `.incoming-${req.version}-${randomBytes(4).toString('hex')}`)
    const final = this.versionDir(req.version)
    let next: ModelRuntime | undefined
    try {
      try {
        await mkdir(incoming)
        await downloadPackage(incoming, { url, version: req.version, manifestSha256: req.sha256, publicKey: this.o.publicKey, expect: { name: this.rt.manifest.name, profile: this.rt.manifest.profile }, maxBytes: this.o.maxPackageBytes, timeoutMs: this.o.downloadTimeoutMs, signal: this.closing.signal })
        // atomic: versions/<v> is either absent or a complete verified package
        await rm(final, { recursive: true, force: true })
        await rename(incoming, final)
      } catch (err) {
        await rm(incoming, { recursive: true, force: true })
        return fail(err)
      }
      try {
        next = await this.loadChecked(final)
      } catch (err) {
        // the new package cannot serve: roll back (the running model was never stopped)
        this.counters.rollbacks++
        await rm(final, { recursive: true, force: true })
        const r = fail(err)
        return { ...r, detail: `${r.detail}; rolled back to ${this.active.version}` }
      }
      const loaded = next
      const old = await this.exclusive(async rt => {
        this.previous = this.active
        this.active = { version: loaded.manifest.version, dir: final }
        this.rt = loaded
        return rt
      })
      await this.writeActive()
      await old.close()
      await this.prune()
      this.counters.updatesOk++
      log.info({ version: this.active.version, previous: this.previous?.version, backend: loaded.backend }, 'model updated')
      return { ok: true, detail: `model ${loaded.manifest.name} ${loaded.manifest.version} active (was ${this.previous?.version ?? '?'})`, activeVersion: this.active.version }
    } finally {
      this.updating = false
    }
  }

  /** version and manifest sha256 of the installed base package (undefined if it cannot be read) */
  private async baseInfo (): Promise<{ version: string, manifestSha256: string } | undefined> {
    try {
      const bytes = await readFile(join(this.o.baseModelDir, 'manifest.json'))
      const m = JSON.parse(bytes.toString('utf8')) as { version?: unknown }
      if (typeof m.version !== 'string') return undefined
      return { version: m.version, manifestSha256: createHash('sha256').update(bytes).digest('hex') }
    } catch {
      return undefined
    }
  }

  private async switchToBase (log: Logger, fail: (err: unknown) => UpdateResult): Promise<UpdateResult> {
    this.updating = true
    try {
      let next: ModelRuntime
      try {
        next = await this.loadChecked(this.o.baseModelDir, true)
      } catch (err) {
        const r = fail(err)
        return { ...r, detail: `${r.detail}; ${this.active.version} stays active` }
      }
      const old = await this.exclusive(async rt => {
        this.previous = this.active
        this.active = { version: next.manifest.version, dir: this.o.baseModelDir }
        this.rt = next
        return rt
      })
      await this.writeActive()
      await old.close()
      await this.prune()
      this.counters.updatesOk++
      log.info({ version: this.active.version, previous: this.previous?.version }, 'model: back to the installed base package')
      return { ok: true, detail: `model ${next.manifest.name} ${next.manifest.version} (the installed base package) active (was ${this.previous?.version ?? '?'})`, activeVersion: this.active.version }
    } finally {
      this.updating = false
    }
  }

  /** a download in progress fails now (RS_ERR_MODEL_DOWNLOAD); a load or swap under way completes */
  abortUpdate (): void {
    this.closing.abort()
  }

  async close (): Promise<void> {
    this.closing.abort()
    await this.exclusive(async rt => { await rt.close() })
  }

  private versionDir (version: string): string {
    return join(this.o.dir, 'versions', version)
  }

  /** loadModel (sha256 of model.onnx checked again) + the package's self-test. */
  private async loadChecked (dir: string, selfTestOptional = false): Promise<ModelRuntime> {
    const rt = await loadModel(dir, { backend: this.o.backend ?? 'auto', nodeModule: this.o.nodeModule, threads: 1, log: this.o.log })
    try {
      let raw: string | undefined
      try {
        raw = await readFile(join(dir, SELF_TEST_FILE), 'utf8')
      } catch (err) {
        if (!selfTestOptional) throw rsError('RS_ERR_MODEL_SELFTEST', `${join(dir, SELF_TEST_FILE)} cannot be read`, err)
      }
      if (raw !== undefined) await runSelfTest(rt, parseFixture(raw))
      else this.o.log.info({ dir }, 'model: the base package has no self-test fixture; not self-tested')
      return rt
    } catch (err) {
      await rt.close()
      throw err
    }
  }

  private async readActive (): Promise<{ version?: string | null, previous?: string | null } | undefined> {
    try {
      return JSON.parse(await readFile(join(this.o.dir, 'active.json'), 'utf8')) as { version?: string | null, previous?: string | null }
    } catch {
      return undefined
    }
  }

  private async writeActive (): Promise<void> {
    const file = join(this.o.dir, 'active.json')
    const isBase = this.active.dir === this.o.baseModelDir
    const body = JSON.stringify({ version: isBase ? null : this.active.version, previous: this.previous && this.previous.dir !== this.o.baseModelDir ? this.previous.version : null, base: this.o.baseModelDir })
    await writeDurably(file + '.tmp', Buffer.from(body + '\n'))
    await rename(file + '.tmp', file)
  }

  /** keeps versions/ to the active and the previous package */
  private async prune (): Promise<void> {
    const keep = new Set([this.active.version, this.previous?.version])
    for (const v of await readdir(join(this.o.dir, 'versions'))) {
      if (!keep.has(v)) await rm(this.versionDir(v), { recursive: true, force: true })
    }
  }
}
