// The model registry over HTTP.
//   GET  /api/v1/models                        any role: every package (bundled and uploaded)
//   POST /api/v1/models                        platform admin: upload a package (JSON, base64 files), verified first
//   GET  /api/v1/models/:name/:version/:file   public: package files for the edge agents' model updates
// The file route serves <modelsDir>/<name>/<version>/ (the bundled packages) and uploaded packages,
// only the files the manifest names (manifest.json, model.file, selfTest.file). Integrity does not
// rest on this route: the agent verifies the Ed25519 signature and every sha256 itself.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyError, FastifyInstance } from 'fastify'
import { rsError } from '../../../../common/src/errors.js'
import { appendAudit } from '../../auth/audit.js'
import type { ModelRegistry, UploadInput } from '../../models/registry.js'
import { errorResponses } from '../schemas.js'

export interface ModelRoutesOptions {
  /** directory of <name>/<version>/ packages (default inference/models) */
  modelsDir: string
  /** uploaded packages (PostgreSQL); absent = only the bundled directory, no list or upload routes */
  registry?: ModelRegistry
  /** for the audit log of uploads */
  pool?: import('pg').Pool
}

const NAME = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
const VERSION = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$' } as const
const FILE = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' } as const

/** Largest upload body: base64 makes 4 bytes of 3, so this carries a model of about 72 MiB (agents take at most 64 MiB per file). */
export const MAX_UPLOAD_BYTES = 96 * 1024 * 1024

export const modelPackageSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    sha256: { type: 'string', description: 'sha256 of manifest.json (pins the package)' },
    modelSha256: { type: 'string' },
    sizeBytes: { type: 'integer' },
    signed: { type: 'boolean' },
    signatureVerified: { type: 'boolean', description: "verified against the api's signing public key at upload" },
    selfTest: { type: 'boolean' },
    source: { type: 'string', enum: ['bundled', 'uploaded'] },
    createdAt: { type: 'string' },
    uploadedAt: { type: ['string', 'null'] },
    uploadedBy: { type: ['string', 'null'] }
  },
  required: ['name', 'version', 'sha256', 'modelSha256', 'sizeBytes', 'signed', 'signatureVerified', 'selfTest', 'source', 'createdAt', 'uploadedAt', 'uploadedBy']
} as const

const errors = { 400: { $ref: 'rs.error#' }, 401: { $ref: 'rs.error#' }, 403: { $ref: 'rs.error#' } } as const

export async function modelRoutes (app: FastifyInstance, o: ModelRoutesOptions): Promise<void> {
  const registry = o.registry
  if (registry) {
    app.get('/models', {
      config: { summary: 'The model registry: every package, bundled and uploaded, newest first' },
      schema: { response: { 200: { type: 'object', properties: { models: { type: 'array', items: modelPackageSchema } }, required: ['models'] }, ...errors } }
    }, async () => ({ models: await registry.list() }))

    app.post<{ Body: UploadInput }>('/models', {
      bodyLimit: MAX_UPLOAD_BYTES,
      // the registry is shared by every tenant: only the platform puts packages in it (a tenant's
      // admin would otherwise publish to, and take names from, every other tenant)
      config: { role: 'admin', platform: true, summary: `Upload a model package (platform admins) (manifest.json as text, files as base64; at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB)` },
      // fastify's own 413 would say RS_ERR_BAD_REQUEST; this route's says what the limit is
      errorHandler: (err: FastifyError) => {
        if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw rsError('RS_ERR_MODEL_TOO_LARGE', `the upload body is limited to ${MAX_UPLOAD_BYTES} bytes (a model file of about ${Math.floor(MAX_UPLOAD_BYTES * 3 / 4 / 1024 / 1024)} MiB as base64)`)
        throw err
      },
      schema: {
        body: {
          type: 'object',
          properties: {
            manifest: { type: 'string', minLength: 2, description: 'manifest.json as text, exactly as signed' },
            model: { type: 'string', minLength: 1, description: 'the model file the manifest names (model.onnx), base64' },
            selfTest: { type: 'string', minLength: 1, description: 'the self-test fixture the manifest names (selftest.json), base64' }
          },
          required: ['manifest', 'model'],
          additionalProperties: false
        },
        response: { 201: modelPackageSchema, ...errors, 409: { $ref: 'rs.error#' }, 413: { $ref: 'rs.error#' } }
      }
    }, async (req, reply) => {
      const pkg = await registry.upload(req.body, req.principal.subject)
      // the registry is global; the entry goes under the uploader's tenant so its admins see it in their log
      const tenant = req.principal.tenants === '*' ? null : req.principal.tenants[0] ?? null
      if (o.pool) await appendAudit(o.pool, { actor: req.principal.subject, tenant, action: 'model.upload', target: `model:${pkg.name}@${pkg.version}`, detail: { sha256: pkg.sha256, sizeBytes: pkg.sizeBytes, signed: pkg.signed, signatureVerified: pkg.signatureVerified } })
      req.log.info({ name: pkg.name, version: pkg.version, sha256: pkg.sha256, sizeBytes: pkg.sizeBytes }, 'model package uploaded')
      return reply.code(201).send(pkg)
    })
  }

  app.get<{ Params: { name: string, version: string, file: string } }>('/models/:name/:version/:file', {
    schema: {
      params: { type: 'object', properties: { name: NAME, version: VERSION, file: FILE }, required: ['name', 'version', 'file'] },
      response: { ...errorResponses }
    }
  }, async (req, reply) => {
    const { name, version, file } = req.params
    const send = (bytes: Buffer): unknown => reply
      .header('content-type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .send(bytes)
    const dir = join(o.modelsDir, name, version)
    let manifest: { model?: { file?: unknown }, selfTest?: { file?: unknown } } | undefined
    try {
      manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof manifest
    } catch {
      manifest = undefined
    }
    if (manifest === undefined) {
      const bytes = registry ? await registry.file(name, version, file) : null
      if (bytes === null) throw rsError('RS_ERR_NOT_FOUND', registry && await registry.get(name, version) ? `${file} is not a file of model package ${name} ${version}` : `model package ${name} ${version}`)
      return send(bytes)
    }
    const served = new Set(['manifest.json', manifest.model?.file, manifest.selfTest?.file].filter(f => typeof f === 'string'))
    if (!served.has(file)) throw rsError('RS_ERR_NOT_FOUND', `${file} is not a file of model package ${name} ${version}`)
    let bytes: Buffer
    try {
      bytes = await readFile(join(dir, file))
    } catch {
      throw rsError('RS_ERR_NOT_FOUND', `${file} of model package ${name} ${version}`)
    }
    return send(bytes)
  })
}
