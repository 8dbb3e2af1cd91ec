// The cloud inference worker's public API (docs/worker.md).
export { startKafkaWorker, type KafkaWorker, type KafkaWorkerOptions, type KafkaWorkerStats } from './kafka.js'
export { startBusWorker, type BusWorker } from './bus.js'
export { WorkerCore, type WorkerCoreOptions, type WorkerStats } from './worker.js'
export { createPredictionStore, type PredictionStore, type DriftOut } from './store.js'
export { chooseProviders } from './providers.js'
export type { ClosedWindow, PredictionRow, AlertRow, StoredHead } from './types.js'
