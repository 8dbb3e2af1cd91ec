// The model registry: packages shipped in a directory (inference/models/<name>/<version>/, read
// only) and packages uploaded through the API, kept whole in PostgreSQL (migration 100) so that
// every api instance can serve them to the agents. An upload is checked as an agent would check
// it, before anything is stored: the manifest (inference/src/package.ts), the sha256 of every file
// it pins, and, when the api has the fleet's signing public key, the Ed25519 signature.
import { createHash, type KeyObject } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { rsError, RigstreamError } from '../../../common/src/errors.js'
import { MANIFEST_FILE, readManifest, readVerifiedModel } from '../../../inference/src/package.js'
import { verifyManifest } from '../../../edge-agent/src/model-update/signing.js'

export const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/
export const VERSION_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$/
const FILE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/

export interface ModelPackage {
  name: string
  version: string
  /** sha256 of manifest.json: pins the whole package (the manifest pins the other files) */
  sha256: string
  modelSha256: string
  sizeBytes: number
  /** the manifest carries a signature */
  signed: boolean
  /** the signature was verified against the api's signing public key at upload */
  signatureVerified: boolean
  selfTest: boolean
  source: 'bundled' | 'uploaded'
  createdAt: string
  uploadedAt: string | null
  uploadedBy: string | null
}

export interface UploadInput {
  /** manifest.json as text, exactly as signed */
  manifest: string
  /** base64 of the model file the manifest names */
  model: string
  /** base64 of the self-test fixture the manifest names */
  selfTest?: string
}

export interface ModelRegistryOptions {
  pool: pg.Pool
  /** shipped packages, <name>/<version>/ (default inference/models) */
  bundledDir: string
  /** when set, an upload must carry a signature that verifies against it */
  publicKey?: KeyObject
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

function dbError (err: unknown): Error {
  if (err instanceof RigstreamError) return err
  return rsError('RS_ERR_DB_UNAVAILABLE', (err as Error).message, err)
}

interface PackageRow { name: string, version: string, manifest_sha256: string, model_sha256: string, size_bytes: string, signed: boolean, selftest: boolean, created_at: Date, uploaded_at: Date, uploaded_by: string, verified: boolean }

export class ModelRegistry {
  constructor (private readonly o: ModelRegistryOptions) {}

  get signingKeyConfigured (): boolean { return this.o.publicKey !== undefined }

  /** Every package, bundled and uploaded, newest first. */
  async list (): Promise<ModelPackage[]> {
    const out = [...await this.bundled()]
    try {
      const r = await this.o.pool.query<PackageRow>(`SELECT name, version, manifest_sha256, model_sha256, size_bytes, signed, selftest IS NOT NULL AS selftest,
        created_at, uploaded_at, uploaded_by, signature_verified AS verified FROM model_packages`)
      out.push(...r.rows.map(toPackage))
    } catch (err) { throw dbError(err) }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name) || b.version.localeCompare(a.version))
  }

  async get (name: string, version: string): Promise<ModelPackage | null> {
    if (!NAME_RE.test(name) || !VERSION_RE.test(version)) return null
    const b = await this.bundledOne(name, version)
    if (b) return b
    try {
      const r = await this.o.pool.query<PackageRow>(`SELECT name, version, manifest_sha256, model_sha256, size_bytes, signed, selftest IS NOT NULL AS selftest,
        created_at, uploaded_at, uploaded_by, signature_verified AS verified FROM model_packages WHERE name = $1 AND version = $2`, [name, version])
      return r.rows[0] ? toPackage(r.rows[0]) : null
    } catch (err) { throw dbError(err) }
  }

  /** One file of an uploaded package (manifest.json, its model file or self-test file), else null. */
  async file (name: string, version: string, file: string): Promise<Buffer | null> {
    try {
      const r = await this.o.pool.query<{ manifest: Buffer, model_file: string, selftest_file: string | null }>(
        'SELECT manifest, model_file, selftest_file FROM model_packages WHERE name = $1 AND version = $2', [name, version])
      const row = r.rows[0]
      if (!row) return null
      if (file === MANIFEST_FILE) return row.manifest
      const col = file === row.model_file ? 'model' : file === row.selftest_file ? 'selftest' : null
      if (col === null) return null
      const f = await this.o.pool.query<{ bytes: Buffer }>(`SELECT ${col} AS bytes FROM model_packages WHERE name = $1 AND version = $2`, [name, version])
      return f.rows[0]?.bytes ?? null
    } catch (err) { throw dbError(err) }
  }

  /** Verifies and stores an uploaded package; the caller audits it. */
  async upload (input: UploadInput, uploadedBy: string): Promise<ModelPackage> {
    const manifestBytes = Buffer.from(input.manifest, 'utf8')
    let raw: Record<string, unknown> & { name?: unknown, version?: unknown, created?: unknown, model?: { file?: unknown }, selfTest?: { file?: unknown, sha256?: unknown } }
    try {
      raw = JSON.parse(input.manifest) as typeof raw
    } catch (err) {
      throw rsError('RS_ERR_MODEL_MANIFEST', `manifest is not JSON (${(err as Error).message})`)
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw rsError('RS_ERR_MODEL_MANIFEST', 'manifest must be a JSON object')
    if (typeof raw.name !== 'string' || !NAME_RE.test(raw.name)) throw rsError('RS_ERR_MODEL_MANIFEST', `name must be 1-64 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(raw.name)}`)
    if (typeof raw.version !== 'string' || !VERSION_RE.test(raw.version)) throw rsError('RS_ERR_MODEL_MANIFEST', `version must be 1-64 characters of A-Z a-z 0-9 _ . + - (not starting with . + -), got ${JSON.stringify(raw.version)}`)
    const name = raw.name
    const version = raw.version
    const modelFile = raw.model?.file
    if (typeof modelFile !== 'string' || !FILE_RE.test(modelFile) || modelFile === MANIFEST_FILE) throw rsError('RS_ERR_MODEL_MANIFEST', `model.file must be a plain file name, got ${JSON.stringify(modelFile)}`)
    let selfTestFile: string | null = null
    if (raw.selfTest !== undefined && raw.selfTest !== null) {
      const f = raw.selfTest.file
      if (typeof f !== 'string' || !FILE_RE.test(f) || f === MANIFEST_FILE || f === modelFile) throw rsError('RS_ERR_MODEL_MANIFEST', `selfTest.file must be a plain file name other than the manifest and model, got ${JSON.stringify(f)}`)
      if (typeof raw.selfTest.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(raw.selfTest.sha256)) throw rsError('RS_ERR_MODEL_MANIFEST', 'selfTest.sha256 must be 64 lower-case hex digits')
      if (input.selfTest === undefined) throw rsError('RS_ERR_MODEL_MANIFEST', `the manifest names the self-test ${f}; send it as selfTest (base64)`)
      selfTestFile = f
    } else if (input.selfTest !== undefined) {
      throw rsError('RS_ERR_MODEL_MANIFEST', 'a selfTest file was sent but the manifest names none (sign the package with rigstream model sign)')
    }
    if (await this.bundledOne(name, version)) throw rsError('RS_ERR_MODEL_EXISTS', `${name} ${version} is a bundled package`)
    const model = decodeBase64(input.model, 'model')
    const selfTest = input.selfTest === undefined ? null : decodeBase64(input.selfTest, 'selfTest')

    // the manifest and model checks of inference/src/package.ts, on the files as an agent will get them
    const dir = await mkdtemp(join(tmpdir(), 'rs-upload-'))
    let modelSha256: string
    try {
      await writeFile(join(dir, MANIFEST_FILE), manifestBytes)
      await writeFile(join(dir, modelFile), model)
      let manifest
      try {
        manifest = await readManifest(dir)
      } catch (err) {
        const e = err as RigstreamError
        throw rsError('RS_ERR_MODEL_MANIFEST', (e.detail ?? e.message).replaceAll(dir + '/', ''))
      }
      try {
        await readVerifiedModel(dir, manifest)
      } catch (err) {
        const e = err as RigstreamError
        if (e.code === 'RS_ERR_MODEL_HASH') throw rsError('RS_ERR_MODEL_HASH', `${modelFile} has sha256 ${sha256(model)}, the manifest says ${manifest.model.sha256}`)
        throw err
      }
      modelSha256 = manifest.model.sha256
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    if (selfTest !== null && sha256(selfTest) !== raw.selfTest!.sha256) throw rsError('RS_ERR_MODEL_HASH', `${selfTestFile} has sha256 ${sha256(selfTest)}, the manifest says ${String(raw.selfTest!.sha256)}`)
    const signed = typeof raw.signature === 'string' && raw.signature.length > 0
    if (this.o.publicKey) verifyManifest(raw, this.o.publicKey)
    const createdAt = typeof raw.created === 'string' && !Number.isNaN(Date.parse(raw.created)) ? new Date(raw.created) : new Date()
    const sizeBytes = manifestBytes.byteLength + model.byteLength + (selfTest?.byteLength ?? 0)
    try {
      const r = await this.o.pool.query<PackageRow>(
        `INSERT INTO model_packages (name, version, manifest, manifest_sha256, model_file, model, model_sha256, selftest_file, selftest, size_bytes, signed, signature_verified, created_at, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $14, $12, $13)
         RETURNING name, version, manifest_sha256, model_sha256, size_bytes, signed, selftest IS NOT NULL AS selftest, created_at, uploaded_at, uploaded_by, signature_verified AS verified`,
        [name, version, manifestBytes, sha256(manifestBytes), modelFile, model, modelSha256, selfTestFile, selfTest, sizeBytes, signed, createdAt, uploadedBy, this.o.publicKey !== undefined])
      return toPackage(r.rows[0])
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw rsError('RS_ERR_MODEL_EXISTS', `${name} ${version}`)
      throw dbError(err)
    }
  }

  private async bundled (): Promise<ModelPackage[]> {
    const out: ModelPackage[] = []
    let names: string[]
    try { names = await readdir(this.o.bundledDir) } catch { return out }
    for (const name of names.filter(n => NAME_RE.test(n)).sort()) {
      let versions: string[]
      try { versions = await readdir(join(this.o.bundledDir, name)) } catch { continue }
      for (const version of versions.filter(v => VERSION_RE.test(v)).sort()) {
        const p = await this.bundledOne(name, version)
        if (p) out.push(p)
      }
    }
    return out
  }

  private async bundledOne (name: string, version: string): Promise<ModelPackage | null> {
    const dir = join(this.o.bundledDir, name, version)
    let bytes: Buffer
    try { bytes = await readFile(join(dir, MANIFEST_FILE)) } catch { return null }
    let m: { created?: unknown, signature?: unknown, model?: { file?: unknown, sha256?: unknown }, selfTest?: { file?: unknown } }
    try { m = JSON.parse(bytes.toString('utf8')) as typeof m } catch { return null }
    let size = bytes.byteLength
    for (const f of [m.model?.file, m.selfTest?.file]) {
      if (typeof f === 'string' && FILE_RE.test(f)) size += await stat(join(dir, f)).then(s => s.size, () => 0)
    }
    const { mtime } = await stat(join(dir, MANIFEST_FILE))
    return {
      name,
      version,
      sha256: sha256(bytes),
      modelSha256: typeof m.model?.sha256 === 'string' ? m.model.sha256 : '',
      sizeBytes: size,
      signed: typeof m.signature === 'string' && m.signature.length > 0,
      signatureVerified: false,
      selfTest: typeof m.selfTest?.file === 'string',
      source: 'bundled',
      createdAt: (typeof m.created === 'string' && !Number.isNaN(Date.parse(m.created)) ? new Date(m.created) : mtime).toISOString(),
      uploadedAt: null,
      uploadedBy: null
    }
  }
}

function decodeBase64 (s: string, what: string): Buffer {
  const clean = s.replace(/\s+/g, '')
  if (clean.length === 0 || clean.length % 4 !== 0 || !BASE64_RE.test(clean)) throw rsError('RS_ERR_BAD_REQUEST', `${what} must be the file as base64`)
  return Buffer.from(clean, 'base64')
}

function toPackage (r: PackageRow): ModelPackage {
  return {
    name: r.name,
    version: r.version,
    sha256: r.manifest_sha256,
    modelSha256: r.model_sha256,
    sizeBytes: Number(r.size_bytes),
    signed: r.signed,
    signatureVerified: r.verified,
    selfTest: r.selftest,
    source: 'uploaded',
    createdAt: r.created_at.toISOString(),
    uploadedAt: r.uploaded_at.toISOString(),
    uploadedBy: r.uploaded_by
  }
}
