// Test model packages: copies of the reference package under a new version, signed with a test
// key (node:crypto), then tampered in the ways an update must survive.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Fastify from 'fastify'
import { DEFAULT_MODEL_DIR } from '../../inference/src/package.js'
import { errorBodySchema, installErrorHandlers } from '../../cloud-api/src/http/errors.js'
import { modelRoutes } from '../../cloud-api/src/http/routes/models.js'
import { signPackage } from '../src/model-update/package-sign.js'

export const MODEL_NAME = 'uci-hydraulic-gnn'

export function keyPair (): { privateKey: KeyObject, publicKey: KeyObject } {
  return generateKeyPairSync('ed25519')
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export function readJson (file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8')) as Json
}

export function writeJson (file: string, v: unknown): void {
  writeFileSync(file, JSON.stringify(v, null, 1))
}

/** <modelsDir>/<name>/<version>/ as a copy of the reference package with `version`, signed with `key` */
export async function makePackage (modelsDir: string, version: string, key: KeyObject, edit?: (dir: string) => void): Promise<string> {
  const dir = join(modelsDir, MODEL_NAME, version)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const f of ['manifest.json', 'model.onnx']) cpSync(join(DEFAULT_MODEL_DIR, f), join(dir, f))
  const m = readJson(join(dir, 'manifest.json'))
  m.version = version
  writeJson(join(dir, 'manifest.json'), m)
  edit?.(dir)
  await signPackage(dir, key, { keepFixture: true })
  return dir
}

/** cloud-api's model route alone on a real port (the real route, no database needed) */
export async function serveModels (modelsDir: string): Promise<{ base: string, close: () => Promise<void> }> {
  const app = Fastify()
  app.addSchema(errorBodySchema)
  installErrorHandlers(app)
  await app.register(modelRoutes, { prefix: '/api/v1', modelsDir })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return { base: `http://127.0.0.1:${port}/api/v1/models`, close: () => app.close() }
}
