// ingest's Prometheus series, read from Ingest.stats() at each scrape: on the api's /metrics in
// embedded mode (cloud-api startApi({ ingestStats })), on a bare listener in `rigstream ingest`
// (RS_INGEST_METRICS_PORT). Names are listed in docs/api.md.
import type { MetricsRegistry } from '../../common/src/metrics.js'
import type { IngestStats } from './service.js'

/** ingest's counters, for a process that runs ingest. */
export function registerIngestMetrics (registry: MetricsRegistry, stats: () => IngestStats): void {
  registry.collect('rigstream_ingest_received_total', 'Frame messages received from MQTT.', 'counter', () => stats().received)
  registry.collect('rigstream_ingest_stored_total', 'Frames committed to PostgreSQL.', 'counter', () => stats().stored)
  registry.collect('rigstream_ingest_duplicates_dropped_total', 'Frames dropped as duplicates of (tenant, rig, seq).', 'counter', () => stats().duplicatesDropped)
  registry.collect('rigstream_ingest_dead_letters_total', 'Payloads dead-lettered, by reason (error code).', 'counter', () =>
    Object.entries(stats().deadLettersByReason).map(([reason, value]) => ({ labels: { reason }, value })))
  registry.collect('rigstream_ingest_batches_total', 'Database batches committed.', 'counter', () => stats().batches)
  registry.collect('rigstream_ingest_pending_acks', 'Messages received and not yet acknowledged to the broker.', 'gauge', () => stats().pendingAcks)
  registry.collect('rigstream_ingest_kafka_produced_total', 'Frames acknowledged by Kafka (0 when Kafka is off).', 'counter', () => stats().kafkaProduced ?? 0)
}
