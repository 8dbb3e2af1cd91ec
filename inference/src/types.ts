// The contract of the model runtime, shared by the edge agent and the cloud workers.
import type { Logger } from '../../common/src/logger.js'
import type { FeatureSpec, Normalisation } from './features.js'

/** channel id -> the samples of one cycle window (60 samples at 1 Hz for the reference model) */
export type CycleWindow = Record<string, Float32Array>

export interface HeadOutput {
  /** target name, e.g. 'valve' */
  target: string
  /** index of the most probable class, in the manifest's class order */
  classIndex: number
  /** class value as in the UCI labels, e.g. 73 (valve condition %) */
  value: number
  label: string
  probs: number[]
}

export interface TargetInfo {
  name: string
  title?: string
  values: number[]
  labels: string[]
  healthy?: number
}

export interface TensorInfo { name: string, shape: Array<number | string>, dtype: 'float32' }

/** manifest.json of a model package (written by inference/training/rigstream_train/export.py) */
export interface ModelManifest {
  name: string
  version: string
  created: string
  profile: string
  channels: string[]
  samplesPerWindow: number
  featureSpec: FeatureSpec
  featureSpecSha256: string
  featureNames: string[]
  normalisation: Normalisation
  targets: TargetInfo[]
  input: TensorInfo
  /** one output: probs [batch, targets, max classes], row t = targets[t], padded classes 0 */
  outputs: TensorInfo[]
  model: { file: string, sha256: string, bytes: number, opset?: number, irVersion?: number, nodes?: number, ops?: string[] }
  graph?: { edges: Array<[string, string]>, addedEdges: Array<[string, string]> }
  training?: unknown
  /** Ed25519 signature of the package (issue 4); absent or null when unsigned */
  signature?: string | null
}

/** 'ts': the TypeScript ONNX evaluator of this repository (inference/src/ts-backend), not ONNX Runtime */
export type BackendName = 'onnxruntime-node' | 'onnxruntime-web' | 'ts'

export interface ModelRuntime {
  readonly manifest: ModelManifest
  readonly backend: BackendName
  /** execution provider in use, e.g. 'cpu' (node) or 'wasm' (web) */
  readonly provider: string
  /** edge: one window */
  predict (window: CycleWindow): Promise<HeadOutput[]>
  /** cloud: a batch of windows, results in the same order */
  predictBatch (windows: CycleWindow[]): Promise<HeadOutput[][]>
  /** run the network on prepared input [n, channels, features] (normalised); the model's outputs
   * (reference package: one tensor probs [n, targets, max classes], padded classes 0) */
  runTensor (input: Float32Array, n: number): Promise<Float32Array[]>
  close (): Promise<void>
}

export interface LoadOptions {
  /**
   * 'auto' (default): onnxruntime-node, falling back to onnxruntime-web when the native binding cannot load.
   * 'ts': the TypeScript evaluator (inference/src/ts-backend); a graph it does not implement
   * (RS_ERR_MODEL_UNSUPPORTED) falls back to 'auto', logged as a warning.
   */
  backend?: 'node' | 'web' | 'auto' | 'ts'
  log?: Logger
  /** intra-op threads (default 1: edge) */
  threads?: number
}
