// The model runtime: what the edge agent and the cloud workers import.
export type { CycleWindow, HeadOutput, ModelManifest, ModelRuntime, LoadOptions, BackendName, TargetInfo } from './types.js'
export { loadModel, type RuntimeLoadOptions } from './runtime.js'
export { DEFAULT_MODEL_DIR, readManifest, readVerifiedModel, sha256Hex } from './package.js'
export { featuresFromWindow, FeatureExtractor, readFeatureSpec, featureNames, FEATURE_SPEC_PATH, type FeatureSpec, type Normalisation } from './features.js'
export { loadUciCycles, type UciCycle, type UciData, type UciLabels } from './uci.js'
export { evaluate, type EvalResult } from './eval.js'
