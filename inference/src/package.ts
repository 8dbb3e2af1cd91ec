// Reading a model package: manifest.json + model.onnx, with the sha256 check.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { rsError } from '../../common/src/errors.js'
import { repoPath } from '../../common/src/paths.js'
import type { ModelManifest } from './types.js'

export const MANIFEST_FILE = 'manifest.json'

/** The committed reference package (trained on the UCI cycles). */
export const DEFAULT_MODEL_DIR: string = repoPath('inference', 'models', 'uci-hydraulic-gnn', '1.0.2')

const REQUIRED = ['name', 'version', 'channels', 'samplesPerWindow', 'featureSpec', 'normalisation', 'targets', 'input', 'outputs', 'model'] as const

export async function readManifest (dir: string): Promise<ModelManifest> {
  let raw: string
  try {
    raw = await readFile(join(dir, MANIFEST_FILE), 'utf8')
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `cannot read ${join(dir, MANIFEST_FILE)}: ${(err as Error).message}`, err)
  }
  let manifest: ModelManifest
  try {
    manifest = JSON.parse(raw) as ModelManifest
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `${MANIFEST_FILE} is not JSON`, err)
  }
  const missing = REQUIRED.filter(k => (manifest as unknown as Record<string, unknown>)[k] === undefined)
  if (missing.length > 0) throw rsError('RS_ERR_MODEL_LOAD', `${MANIFEST_FILE} lacks ${missing.join(', ')}`)
  if (typeof manifest.model.file !== 'string' || !/^[\w.-]+$/.test(manifest.model.file) || manifest.model.file.startsWith('.')) throw rsError('RS_ERR_MODEL_LOAD', `${MANIFEST_FILE}: model.file must be a plain file name in the package`)
  if (!/^[0-9a-f]{64}$/.test(manifest.model.sha256 ?? '')) throw rsError('RS_ERR_MODEL_LOAD', `${MANIFEST_FILE} has no valid model.sha256`)
  return manifest
}

export function sha256Hex (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Reads model.onnx and refuses it (RS_ERR_MODEL_HASH) unless its sha256 is the manifest's. */
export async function readVerifiedModel (dir: string, manifest: ModelManifest): Promise<Uint8Array> {
  const file = join(dir, manifest.model.file)
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(file))
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `cannot read ${file}: ${(err as Error).message}`, err)
  }
  const actual = sha256Hex(bytes)
  if (actual !== manifest.model.sha256) throw rsError('RS_ERR_MODEL_HASH', `${file} has sha256 ${actual}, manifest says ${manifest.model.sha256}`)
  return bytes
}
