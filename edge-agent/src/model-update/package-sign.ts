// Making a package ready to ship: pin model.onnx (sha256, bytes), write its self-test fixture
// (one window and the outputs this model gives on it), pin that too, and sign the manifest.
import type { KeyObject } from 'node:crypto'
import { readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { rsError } from '../../../common/src/errors.js'
import { repoPath } from '../../../common/src/paths.js'
import { MANIFEST_FILE } from '../../../inference/src/package.js'
import { loadModel } from '../../../inference/src/runtime.js'
import type { CycleWindow } from '../../../inference/src/types.js'
import { loadUciCycles } from '../../../inference/src/uci.js'
import { sha256, writeDurably } from './download.js'
import { makeFixture, SELF_TEST_FILE } from './self-test.js'
import { signManifest } from './signing.js'

export interface SignOptions {
  /** the self-test window; default: cycle `fixtureCycle` of `fixtureData` */
  fixtureWindow?: CycleWindow
  /** a directory in the UCI layout; default edge-agent/data/uci-hydraulic */
  fixtureData?: string
  /** row of that data (0 = first cycle); default 0 */
  fixtureCycle?: number
  /** keep an existing selftest.json instead of writing a new one */
  keepFixture?: boolean
}

export async function signPackage (dir: string, key: KeyObject, opts: SignOptions = {}): Promise<Record<string, unknown>> {
  const manifestPath = join(dir, MANIFEST_FILE)
  let manifest: Record<string, unknown> & { model?: { file?: string, sha256?: string, bytes?: number } }
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as typeof manifest
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `cannot read ${manifestPath}: ${(err as Error).message}`, err)
  }
  const modelFile = manifest.model?.file
  if (typeof modelFile !== 'string') throw rsError('RS_ERR_MODEL_LOAD', `${manifestPath} has no model.file`)
  const modelBytes = await readFile(join(dir, modelFile))
  manifest.model = { ...manifest.model, sha256: sha256(modelBytes), bytes: modelBytes.byteLength }
  manifest.signature = null
  await writeJson(manifestPath, manifest)

  const fixturePath = join(dir, SELF_TEST_FILE)
  const exists = await stat(fixturePath).then(() => true, () => false)
  if (!(opts.keepFixture === true && exists)) {
    let window = opts.fixtureWindow
    if (window === undefined) {
      const data = loadUciCycles(opts.fixtureData ?? repoPath('edge-agent', 'data', 'uci-hydraulic'))
      const row = data.cycles[opts.fixtureCycle ?? 0]
      if (row === undefined) throw rsError('RS_ERR_CONFIG', `fixture cycle ${opts.fixtureCycle ?? 0} is not in ${data.dir} (${data.cycles.length} cycles)`)
      window = row.window
    }
    const rt = await loadModel(dir, { backend: 'auto', threads: 1 })
    try {
      await writeJson(fixturePath, await makeFixture(rt, window))
    } finally {
      await rt.close()
    }
  }
  manifest.selfTest = { file: SELF_TEST_FILE, sha256: sha256(await readFile(fixturePath)) }
  manifest.signature = signManifest(manifest, key)
  await writeJson(manifestPath, manifest)
  return manifest
}

async function writeJson (file: string, value: unknown): Promise<void> {
  await writeDurably(file + '.tmp', Buffer.from(JSON.stringify(value, null, 1) + '\n'))
  await rename(file + '.tmp', file)
}
