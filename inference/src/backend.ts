// The backends behind one small interface: onnxruntime-node (native), onnxruntime-web (WASM,
// also runs in Node with no settings) — both expose the same API (onnxruntime-common), so one
// session wrapper serves both — and the TypeScript evaluator of ts-backend/ (createTsSession).
import type * as Ort from 'onnxruntime-common'
import { rsError } from '../../common/src/errors.js'
import { compileOnnx } from './ts-backend/evaluator.js'
import type { BackendName } from './types.js'

type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>

export interface Session {
  readonly backend: BackendName
  readonly provider: string
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  /** input [n, ...dims] float32 -> one Float32Array per output, in outputNames order */
  run (input: Float32Array, dims: readonly number[]): Promise<Float32Array[]>
  close (): Promise<void>
}

export const NODE_MODULE = 'onnxruntime-node'
const WEB_MODULE = 'onnxruntime-web'

/** Imports a build; rejects when the module or its native binding cannot load. */
export async function importOrt (backend: BackendName, nodeModule: string = NODE_MODULE): Promise<OrtModule> {
  const mod = await import(backend === 'onnxruntime-node' ? nodeModule : WEB_MODULE) as OrtModule & { default?: OrtModule }
  const ort = mod.InferenceSession ? mod : mod.default
  if (!ort?.InferenceSession) throw new Error(`${backend}: module has no InferenceSession`)
  if (backend === 'onnxruntime-web') {
    // one WASM thread: no worker threads to spawn or leak; the edge runs one core per rig
    ort.env.wasm.numThreads = 1
  }
  return ort
}

export interface SessionOptions {
  threads: number
  /** node: execution providers to try in order (e.g. ['cuda', 'cpu']); web: always 'wasm' */
  providers?: readonly string[]
}

export async function createSession (ort: OrtModule, backend: BackendName, model: Uint8Array, opts: SessionOptions): Promise<Session> {
  const providers = backend === 'onnxruntime-web' ? ['wasm'] : (opts.providers ?? ['cpu'])
  const errors: string[] = []
  for (const provider of providers) {
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: [provider],
        intraOpNumThreads: opts.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all'
      })
      return wrap(ort, backend, provider, session)
    } catch (err) {
      errors.push(`${provider}: ${(err as Error).message}`)
    }
  }
  throw rsError('RS_ERR_MODEL_LOAD', `${backend} could not create a session (${errors.join('; ')})`)
}

function wrap (ort: OrtModule, backend: BackendName, provider: string, session: Ort.InferenceSession): Session {
  const inputName = session.inputNames[0]!
  const outputNames = [...session.outputNames]
  return {
    backend,
    provider,
    inputNames: session.inputNames,
    outputNames,
    async run (input, dims) {
      const feeds = { [inputName]: new ort.Tensor('float32', input, dims) }
      const result = await session.run(feeds)
      return outputNames.map(n => result[n]!.data as Float32Array)
    },
    async close () { await session.release() }
  }
}

/**
 * The TypeScript evaluator as a Session. RS_ERR_MODEL_UNSUPPORTED when the graph uses something it
 * does not implement; RS_ERR_MODEL_LOAD when the model is not valid or fails a dry run of one row.
 */
export function createTsSession (model: Uint8Array): Session {
  const graph = compileOnnx(model)
  // one row of zeros through every node: shape errors surface at load, not at the first cycle
  const dims = graph.inputShape.map((d, i) => (typeof d === 'number' ? d : i === 0 ? 1 : Number.NaN))
  if (dims.some(d => !Number.isInteger(d) || d < 1)) throw rsError('RS_ERR_MODEL_UNSUPPORTED', `input shape [${graph.inputShape.join(',')}]: only the first dimension may be symbolic`)
  try {
    graph.run(new Float32Array(dims.reduce((a, b) => a * b, 1)), dims)
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `ts: a dry run of the graph failed: ${(err as Error).message}`, err)
  }
  return {
    backend: 'ts',
    provider: 'js',
    inputNames: graph.inputNames,
    outputNames: graph.outputNames,
    async run (input, d) { return graph.run(input, d) },
    async close () {}
  }
}
