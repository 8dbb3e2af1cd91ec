// The cloud worker's Prometheus series, read from the worker's stats() at each scrape: on a bare
// listener in `rigstream worker` (RS_WORKER_METRICS_PORT). Names are listed in docs/api.md.
import type { MetricsRegistry } from '../../../common/src/metrics.js'
import type { WorkerStats } from './worker.js'
import type { KafkaWorkerStats } from './kafka.js'

/** The worker's counters; the Kafka ones when the stats have them (the Kafka feed). */
export function registerWorkerMetrics (registry: MetricsRegistry, stats: () => WorkerStats | KafkaWorkerStats): void {
  registry.collect('rigstream_worker_info', 'The model and execution provider in use (value 1).', 'gauge', () => {
    const s = stats()
    return [{ labels: { provider: s.provider, backend: s.backend, model_version: s.modelVersion }, value: 1 }]
  })
  registry.collect('rigstream_worker_windows_total', 'Windows closed and handed to inference.', 'counter', () => stats().windowsIn)
  registry.collect('rigstream_worker_windows_rejected_total', 'Windows the model could not take (bad samples), skipped.', 'counter', () => stats().windowsRejected)
  registry.collect('rigstream_worker_windows_failed_total', 'Windows whose prediction could not be stored or sent (a non-retriable error, such as a time PostgreSQL refuses), skipped.', 'counter', () => stats().windowsFailed)
  registry.collect('rigstream_worker_batches_total', 'Inference batches run.', 'counter', () => stats().batches)
  registry.collect('rigstream_worker_predictions_stored_total', 'Predictions stored (new rows).', 'counter', () => stats().predictionsStored)
  registry.collect('rigstream_worker_predictions_duplicate_total', 'Predictions already stored (redelivered windows).', 'counter', () => stats().predictionsDuplicate)
  registry.collect('rigstream_worker_alerts_raised_total', 'Alerts raised by the rules.', 'counter', () => stats().alertsRaised)
  registry.collect('rigstream_worker_pending_windows', 'Windows queued or in a batch in flight.', 'gauge', () => { const s = stats(); return s.queued + s.inFlight })
  registry.collect('rigstream_worker_model_batch_seconds', 'Time the model (features and session.run) took for the last batch.', 'gauge', () => stats().lastModelMs / 1000)
  registry.collect('rigstream_worker_model_batch_max_seconds', 'The longest such time since the start.', 'gauge', () => stats().maxModelMs / 1000)
  registry.collect('rigstream_worker_last_batch_size', 'Windows in the last batch.', 'gauge', () => stats().lastBatchSize)
  const k = (): KafkaWorkerStats | null => { const s = stats(); return 'framesRead' in s ? s : null }
  if (!k()) return
  registry.collect('rigstream_worker_frames_read_total', 'Frame records read from rs.frames.v1.', 'counter', () => k()!.framesRead)
  registry.collect('rigstream_worker_frames_undecodable_total', 'Records on rs.frames.v1 that did not decode, skipped.', 'counter', () => k()!.framesUndecodable)
  registry.collect('rigstream_worker_offsets_held', 'Frames read whose offsets wait for a window to be stored (the uncommitted lag).', 'gauge', () => k()!.held)
  registry.collect('rigstream_worker_commit_errors_total', 'Offset commits that failed (retried).', 'counter', () => k()!.commitErrors)
  registry.collect('rigstream_worker_paused', 'Fetching paused by backpressure (1) or not (0).', 'gauge', () => k()!.paused ? 1 : 0)
  registry.collect('rigstream_worker_partitions', 'Partitions of rs.frames.v1 this worker owns.', 'gauge', () => k()!.partitions.length)
  registry.collect('rigstream_worker_stream_restarts_total', 'New consumers started after the client ended the stream (broker gone).', 'counter', () => k()!.streamRestarts)
}
