// loadModel: one runtime for the edge (one window at a time) and the cloud (batches).
import { rsError, RigstreamError } from '../../common/src/errors.js'
import { createSession, createTsSession, importOrt, NODE_MODULE, type Session } from './backend.js'
import { FeatureExtractor } from './features.js'
import { readManifest, readVerifiedModel } from './package.js'
import type { BackendName, CycleWindow, HeadOutput, LoadOptions, ModelManifest, ModelRuntime } from './types.js'

export interface RuntimeLoadOptions extends LoadOptions {
  /** node backend: execution providers to try in order (default ['cpu']); the one that loads is `provider` */
  providers?: readonly string[]
  /** module name of the native build (default 'onnxruntime-node'); a name that cannot load makes 'auto' fall back to web */
  nodeModule?: string
  /** largest batch handed to one session.run (bounds memory in predictBatch) */
  maxBatch?: number
}

class OrtRuntime implements ModelRuntime {
  readonly backend: BackendName
  readonly provider: string
  private readonly fx: FeatureExtractor
  private readonly perWindow: number
  private readonly dims: number[]
  /** features per channel */
  readonly width: number
  /** probabilities per row: targets x kmax (padded classes are 0) */
  private readonly rowWidth: number
  private readonly kmax: number
  private closed = false

  constructor (readonly manifest: ModelManifest, private readonly session: Session, private readonly maxBatch: number) {
    this.backend = session.backend
    this.provider = session.provider
    this.fx = new FeatureExtractor(manifest.featureSpec, manifest.channels, manifest.normalisation)
    this.width = this.fx.width
    this.perWindow = manifest.channels.length * this.fx.width
    this.dims = [manifest.channels.length, this.fx.width]
    this.kmax = Math.max(...manifest.targets.map(t => t.values.length))
    this.rowWidth = manifest.targets.length * this.kmax
  }

  async predict (window: CycleWindow): Promise<HeadOutput[]> {
    // a fresh buffer per call: session.run may still hold the previous one while a caller awaits
    const input = new Float32Array(this.perWindow)
    this.fx.write(window, input)
    return this.decode(await this.runTensor(input, 1), 0)
  }

  async predictBatch (windows: CycleWindow[]): Promise<HeadOutput[][]> {
    const out: HeadOutput[][] = []
    for (let start = 0; start < windows.length; start += this.maxBatch) {
      const n = Math.min(this.maxBatch, windows.length - start)
      const input = new Float32Array(n * this.perWindow)
      for (let i = 0; i < n; i++) this.fx.write(windows[start + i]!, input, i * this.perWindow)
      const probs = await this.runTensor(input, n)
      for (let i = 0; i < n; i++) out.push(this.decode(probs, i))
    }
    return out
  }

  async runTensor (input: Float32Array, n: number): Promise<Float32Array[]> {
    if (this.closed) throw rsError('RS_ERR_MODEL_LOAD', 'runtime is closed')
    if (input.length !== n * this.perWindow) throw rsError('RS_ERR_MODEL_INPUT', `input has ${input.length} values, expected ${n} x ${this.perWindow}`)
    return await this.session.run(input, [n, ...this.dims])
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.session.close()
  }

  private decode (probs: Float32Array[], row: number): HeadOutput[] {
    const heads: HeadOutput[] = []
    const all = probs[0]!
    for (let h = 0; h < this.manifest.targets.length; h++) {
      const t = this.manifest.targets[h]!
      const k = t.values.length
      const at = row * this.rowWidth + h * this.kmax
      const p = Array.from(all.subarray(at, at + k))
      let best = 0
      for (let c = 1; c < k; c++) if (p[c]! > p[best]!) best = c
      heads.push({ target: t.name, classIndex: best, value: t.values[best]!, label: t.labels[best]!, probs: p })
    }
    return heads
  }
}

async function openSession (backend: BackendName, bytes: Uint8Array, opts: RuntimeLoadOptions): Promise<Session> {
  let ort
  try {
    ort = await importOrt(backend, opts.nodeModule ?? NODE_MODULE)
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `${backend} cannot load: ${(err as Error).message}`, err)
  }
  return await createSession(ort, backend, bytes, { threads: opts.threads ?? 1, providers: opts.providers })
}

/** onnxruntime-node; with 'auto', onnxruntime-web when the native build cannot load */
async function openOrt (choice: 'node' | 'auto', bytes: Uint8Array, opts: RuntimeLoadOptions): Promise<Session> {
  try {
    return await openSession('onnxruntime-node', bytes, opts)
  } catch (err) {
    const bindingMissing = err instanceof RigstreamError && err.detail?.startsWith('onnxruntime-node cannot load')
    if (choice !== 'auto' || !bindingMissing) throw err
    opts.log?.warn({ err: (err as Error).message }, 'onnxruntime-node unavailable, using onnxruntime-web (WASM)')
    return await openSession('onnxruntime-web', bytes, opts)
  }
}

/** The manifest's own numbers must agree: distinct channels, samples per window, input shape. */
function checkManifest (manifest: ModelManifest, width: number): void {
  const fail = (why: string): never => { throw rsError('RS_ERR_MODEL_LOAD', `manifest ${manifest.name} ${manifest.version}: ${why}`) }
  const c = manifest.channels
  if (!Array.isArray(c) || c.length === 0 || c.some(x => typeof x !== 'string') || new Set(c).size !== c.length) fail('channels must be a list of distinct names')
  if (manifest.samplesPerWindow !== manifest.featureSpec.samplesPerWindow) fail(`samplesPerWindow ${manifest.samplesPerWindow} differs from the feature spec's ${manifest.featureSpec.samplesPerWindow}`)
  const shape = manifest.input?.shape ?? []
  if (shape.length !== 3 || shape[1] !== c.length || shape[2] !== width) fail(`input shape ${JSON.stringify(shape)} must be [batch, ${c.length}, ${width}] (channels x features)`)
}

/**
 * A dry run of two windows of zeros: the network must take [2, channels, features] and give
 * exactly 2 x targets x classes values, or every later batch would fail, or (an output of another
 * shape) be decoded at the wrong stride, each window reading its neighbour's numbers.
 */
async function dryRun (manifest: ModelManifest, session: Session, width: number): Promise<void> {
  const c = manifest.channels.length
  const kmax = Math.max(...manifest.targets.map(t => t.values.length))
  let out: Float32Array[]
  try {
    out = await session.run(new Float32Array(2 * c * width), [2, c, width])
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `the network does not take the manifest's input [batch, ${c}, ${width}]: ${(err as Error).message}`, err)
  }
  const want = 2 * manifest.targets.length * kmax
  if (out.length !== 1 || out[0]!.length !== want) {
    throw rsError('RS_ERR_MODEL_LOAD', `the network gives ${out.map(o => o.length).join(' + ')} values for 2 windows, the manifest's output [batch, ${manifest.targets.length}, ${kmax}] means ${want}`)
  }
}

function checkSession (manifest: ModelManifest, session: Session): void {
  const kmax = Math.max(...manifest.targets.map(t => t.values.length))
  const shape = manifest.outputs[0]?.shape ?? []
  if (manifest.outputs.length !== 1 || shape[1] !== manifest.targets.length || shape[2] !== kmax) {
    throw rsError('RS_ERR_MODEL_LOAD', `manifest outputs must be one tensor [batch, ${manifest.targets.length}, ${kmax}] (targets x classes)`)
  }
  const want = manifest.outputs.map(o => o.name)
  if (session.inputNames[0] !== manifest.input.name || session.outputNames.join(',') !== want.join(',')) {
    throw rsError('RS_ERR_MODEL_LOAD', `model inputs ${session.inputNames.join(',')} / outputs ${session.outputNames.join(',')} differ from the manifest (${manifest.input.name} / ${want.join(',')})`)
  }
}

/**
 * Loads a model package (manifest.json + model.onnx): verifies the sha256 of model.onnx against
 * the manifest (RS_ERR_MODEL_HASH), checks the feature spec, opens a session
 * (RS_ERR_MODEL_LOAD on any failure). backend 'auto' (default) uses onnxruntime-node and falls
 * back to onnxruntime-web (WASM) when the native build cannot load; 'ts' uses the TypeScript
 * evaluator (no ONNX Runtime loaded at all) and falls back to 'auto' for a graph it does not
 * implement. Sessions are single-threaded unless opts.threads says otherwise.
 */
export async function loadModel (dir: string, opts: RuntimeLoadOptions = {}): Promise<ModelRuntime> {
  const manifest = await readManifest(dir)
  const bytes = await readVerifiedModel(dir, manifest)
  const choice = opts.backend ?? 'auto'
  let session: Session | undefined
  if (choice === 'ts') {
    try {
      session = createTsSession(bytes)
    } catch (err) {
      if (!(err instanceof RigstreamError && err.code === 'RS_ERR_MODEL_UNSUPPORTED')) throw err
      opts.log?.warn({ err: err.message }, 'the TypeScript evaluator does not implement this model; using ONNX Runtime')
    }
  }
  session ??= choice === 'web' ? await openSession('onnxruntime-web', bytes, opts) : await openOrt(choice === 'node' ? 'node' : 'auto', bytes, opts)
  try {
    checkSession(manifest, session)
    const runtime = new OrtRuntime(manifest, session, opts.maxBatch ?? 4096)
    checkManifest(manifest, runtime.width)
    await dryRun(manifest, session, runtime.width)
    opts.log?.info({ model: manifest.name, version: manifest.version, backend: runtime.backend, provider: runtime.provider }, 'model loaded')
    return runtime
  } catch (err) {
    await session.close()
    throw err instanceof RigstreamError ? err : rsError('RS_ERR_MODEL_LOAD', (err as Error).message, err)
  }
}
