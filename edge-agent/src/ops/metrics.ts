// Prometheus text exposition (format 0.0.4) of the agent's counters, built at scrape time from the
// parts' own stats: nothing on the hot path, no metrics library.
import type { Agent } from '../agent.js'
import type { EdgeDiagnosis } from '../diagnosis/service.js'

export interface Sample { labels?: Record<string, string>, value: number }
export interface Family { name: string, help: string, type: 'counter' | 'gauge', samples: Sample[] }

function escapeLabel (v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

export function render (families: readonly Family[], constLabels: Record<string, string> = {}): string {
  const lines: string[] = []
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`)
    for (const s of f.samples) {
      const labels = { ...constLabels, ...s.labels }
      const l = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')
      lines.push(`${f.name}${l ? `{${l}}` : ''} ${Number.isFinite(s.value) ? s.value : 'NaN'}`)
    }
  }
  return lines.join('\n') + '\n'
}

const one = (value: number): Sample[] => [{ value }]

/** Every family the agent exposes; `edge` is absent when local diagnosis is off. */
export function agentFamilies (agent: Agent, edge: EdgeDiagnosis | undefined, startedMs: number): Family[] {
  const a = agent.stats()
  const mem = process.memoryUsage()
  const cpu = process.cpuUsage()
  const f: Family[] = [
    { name: 'rigstream_agent_connected', help: '1 while the MQTT connection is up', type: 'gauge', samples: one(a.connected ? 1 : 0) },
    { name: 'rigstream_agent_frames_published_total', help: 'frames published (including resends)', type: 'counter', samples: one(a.published) },
    { name: 'rigstream_agent_frames_acked_total', help: 'frames acknowledged by the broker (PUBACK)', type: 'counter', samples: one(a.acked) },
    { name: 'rigstream_agent_seq', help: 'last frame seq taken', type: 'gauge', samples: one(a.seq) },
    { name: 'rigstream_agent_spool_frames', help: 'frames waiting in the spool for a PUBACK', type: 'gauge', samples: one(a.spooled) },
    { name: 'rigstream_agent_spool_dropped_total', help: 'frames dropped by the spool bound', type: 'counter', samples: one(a.dropped) },
    { name: 'rigstream_agent_reconnects_total', help: 'reconnect attempts since the start', type: 'counter', samples: one(a.reconnects) },
    { name: 'rigstream_agent_clock_offset_seconds', help: 'server minus agent clock (NaN until measured; needs timeUrl)', type: 'gauge', samples: one(a.clockOffsetMs === null ? Number.NaN : a.clockOffsetMs / 1000) },
    { name: 'rigstream_agent_clock_drift', help: '1 while the agent clock is off server time beyond tolerance', type: 'gauge', samples: one(a.clockDrift ? 1 : 0) },
    { name: 'process_resident_memory_bytes', help: 'resident set size', type: 'gauge', samples: one(mem.rss) },
    { name: 'process_heap_used_bytes', help: 'V8 heap in use', type: 'gauge', samples: one(mem.heapUsed) },
    { name: 'process_cpu_seconds_total', help: 'user + system CPU time', type: 'counter', samples: one((cpu.user + cpu.system) / 1e6) },
    { name: 'process_start_time_seconds', help: 'start time, s since the epoch', type: 'gauge', samples: one(Math.floor(startedMs / 1000)) }
  ]
  if (edge !== undefined) {
    const d = edge.diagnosis.stats()
    const rt = edge.models.runtime()
    const c = edge.models.counters
    const o = edge.outbox.stats
    f.push(
      { name: 'rigstream_agent_model_info', help: 'active model (value 1)', type: 'gauge', samples: [{ labels: { model: rt.manifest.name, version: rt.manifest.version, backend: rt.backend, provider: rt.provider }, value: 1 }] },
      { name: 'rigstream_agent_cycles_total', help: 'load cycles assembled for diagnosis', type: 'counter', samples: one(d.cycles) },
      { name: 'rigstream_agent_cycles_discarded_total', help: 'partial cycles thrown away (gap, missing channel)', type: 'counter', samples: one(d.discardedCycles) },
      { name: 'rigstream_agent_predictions_total', help: 'predictions made', type: 'counter', samples: one(d.predictions) },
      { name: 'rigstream_agent_alerts_total', help: 'alerts raised', type: 'counter', samples: [{ labels: { offline: 'false' }, value: d.alerts - d.alertsOffline }, { labels: { offline: 'true' }, value: d.alertsOffline }] },
      { name: 'rigstream_agent_inference_errors_total', help: 'cycles that could not be diagnosed', type: 'counter', samples: one(d.inferenceErrors) },
      { name: 'rigstream_agent_inference_last_seconds', help: 'time of the last inference (features + network)', type: 'gauge', samples: one(d.lastInferenceMs / 1000) },
      { name: 'rigstream_agent_model_updates_total', help: 'model update commands by result', type: 'counter', samples: [{ labels: { result: 'ok' }, value: c.updatesOk }, { labels: { result: 'refused' }, value: c.updatesFailed }] },
      { name: 'rigstream_agent_model_rollbacks_total', help: 'updates rolled back (load or self-test failure) and stored versions abandoned at start', type: 'counter', samples: one(c.rollbacks) },
      { name: 'rigstream_agent_outbox_pending', help: 'predictions, alerts and replies on disk waiting for a PUBACK', type: 'gauge', samples: one(o.pending) },
      { name: 'rigstream_agent_outbox_delivered_total', help: 'outbox messages acknowledged by the broker', type: 'counter', samples: one(o.delivered) },
      { name: 'rigstream_agent_outbox_dropped_total', help: 'outbox messages dropped by its bound', type: 'counter', samples: one(o.dropped) }
    )
  }
  return f
}
