// GET /api/v1/models/:name/:version/:file — model packages for the edge agents' model updates.
// Serves the files of <modelsDir>/<name>/<version>/ that its manifest names (manifest.json,
// model.file, selfTest.file) and nothing else. Integrity does not rest on this route: the agent
// verifies the Ed25519 signature and every sha256 itself, so a plain HTTP mirror would do too.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { rsError } from '../../../../common/src/errors.js'
import { errorResponses } from '../schemas.js'

export interface ModelRoutesOptions {
  /** directory of <name>/<version>/ packages (default inference/models) */
  modelsDir: string
}

const NAME = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
const VERSION = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$' } as const
const FILE = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' } as const

export async function modelRoutes (app: FastifyInstance, o: ModelRoutesOptions): Promise<void> {
  app.get<{ Params: { name: string, version: string, file: string } }>('/models/:name/:version/:file', {
    schema: {
      params: { type: 'object', properties: { name: NAME, version: VERSION, file: FILE }, required: ['name', 'version', 'file'] },
      response: { ...errorResponses }
    }
  }, async (req, reply) => {
    const { name, version, file } = req.params
    const dir = join(o.modelsDir, name, version)
    let manifest: { model?: { file?: unknown }, selfTest?: { file?: unknown } }
    try {
      manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as typeof manifest
    } catch {
      throw rsError('RS_ERR_NOT_FOUND', `model package ${name} ${version}`)
    }
    const served = new Set(['manifest.json', manifest.model?.file, manifest.selfTest?.file].filter(f => typeof f === 'string'))
    if (!served.has(file)) throw rsError('RS_ERR_NOT_FOUND', `${file} is not a file of model package ${name} ${version}`)
    let bytes: Buffer
    try {
      bytes = await readFile(join(dir, file))
    } catch {
      throw rsError('RS_ERR_NOT_FOUND', `${file} of model package ${name} ${version}`)
    }
    return reply
      .header('content-type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .send(bytes)
  })
}
