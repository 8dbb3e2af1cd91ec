/**
 * A tiny Prometheus registry: counters, gauges and histograms with labels, plus collectors that
 * read a component's own stats at scrape time, rendered in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). No dependency; one registry per
 * process, shared by the components that run in it.
 */
import { createServer, type Server } from 'node:http'

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export type Labels = Record<string, string>
type MetricType = 'counter' | 'gauge' | 'histogram'

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/

// label values: backslash, double quote and line feed are escaped [exposition format]
function escapeValue (v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function labelText (labels: Labels | undefined): string {
  if (!labels) return ''
  const keys = Object.keys(labels)
  if (keys.length === 0) return ''
  return '{' + keys.sort().map(k => `${k}="${escapeValue(labels[k])}"`).join(',') + '}'
}

function num (v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}

/** One sample a collector reports: a value, with labels when the series has them. */
export interface Sample { labels?: Labels, value: number }

interface Family { name: string, help: string, type: MetricType, render (): string[] }

class LabelledValues {
  readonly values = new Map<string, { labels: Labels | undefined, value: number }>()
  get (labels: Labels | undefined): { labels: Labels | undefined, value: number } {
    const key = labelText(labels)
    let v = this.values.get(key)
    if (!v) { v = { labels: labels && { ...labels }, value: 0 }; this.values.set(key, v) }
    return v
  }
}

export class Counter {
  readonly #values = new LabelledValues()
  constructor (readonly name: string) {}
  inc (labels?: Labels, by = 1): void {
    if (by < 0) throw new RangeError(`counter ${this.name} cannot go down`)
    this.#values.get(labels).value += by
  }
  value (labels?: Labels): number { return this.#values.values.get(labelText(labels))?.value ?? 0 }
  /** @internal */
  lines (): string[] { return [...this.#values.values.values()].map(v => `${this.name}${labelText(v.labels)} ${num(v.value)}`) }
}

export class Gauge {
  readonly #values = new LabelledValues()
  constructor (readonly name: string) {}
  set (value: number, labels?: Labels): void { this.#values.get(labels).value = value }
  inc (labels?: Labels, by = 1): void { this.#values.get(labels).value += by }
  dec (labels?: Labels, by = 1): void { this.#values.get(labels).value -= by }
  value (labels?: Labels): number { return this.#values.values.get(labelText(labels))?.value ?? 0 }
  /** @internal */
  lines (): string[] { return [...this.#values.values.values()].map(v => `${this.name}${labelText(v.labels)} ${num(v.value)}`) }
}

export class Histogram {
  readonly #series = new Map<string, { labels: Labels | undefined, counts: number[], sum: number, count: number }>()
  constructor (readonly name: string, readonly buckets: readonly number[]) {}
  observe (value: number, labels?: Labels): void {
    const key = labelText(labels)
    let s = this.#series.get(key)
    if (!s) { s = { labels: labels && { ...labels }, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 }; this.#series.set(key, s) }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) s.counts[i]++
    s.sum += value
    s.count++
  }
  /** @internal */
  lines (): string[] {
    const out: string[] = []
    for (const s of this.#series.values()) {
      this.buckets.forEach((le, i) => out.push(`${this.name}_bucket${labelText({ ...s.labels, le: num(le) })} ${s.counts[i]}`))
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`)
      out.push(`${this.name}_sum${labelText(s.labels)} ${num(s.sum)}`)
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`)
    }
    return out
  }
}

export class MetricsRegistry {
  readonly #families = new Map<string, Family>()

  #add (name: string, help: string, type: MetricType, render: () => string[]): void {
    if (!NAME.test(name)) throw new RangeError(`metric name ${JSON.stringify(name)} is not valid`)
    if (this.#families.has(name)) throw new RangeError(`metric ${name} is registered twice`)
    this.#families.set(name, { name, help, type, render })
  }

  counter (name: string, help: string): Counter {
    const c = new Counter(name)
    this.#add(name, help, 'counter', () => c.lines())
    return c
  }

  gauge (name: string, help: string): Gauge {
    const g = new Gauge(name)
    this.#add(name, help, 'gauge', () => g.lines())
    return g
  }

  histogram (name: string, help: string, buckets: readonly number[]): Histogram {
    const h = new Histogram(name, [...buckets].sort((a, b) => a - b))
    this.#add(name, help, 'histogram', () => h.lines())
    return h
  }

  /** A series whose samples are read from `collect` at each scrape (a component's own stats). */
  collect (name: string, help: string, type: 'counter' | 'gauge', collect: () => number | Sample[]): void {
    this.#add(name, help, type, () => {
      const r = collect()
      const samples = typeof r === 'number' ? [{ value: r }] : r
      for (const s of samples) for (const k of Object.keys(s.labels ?? {})) if (!LABEL.test(k)) throw new RangeError(`label ${k} of ${name} is not valid`)
      return samples.map(s => `${name}${labelText(s.labels)} ${num(s.value)}`)
    })
  }

  has (name: string): boolean { return this.#families.has(name) }

  /** The exposition text: HELP and TYPE once per family, then its samples. */
  render (): string {
    const out: string[] = []
    for (const f of this.#families.values()) {
      out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`)
      out.push(`# TYPE ${f.name} ${f.type}`)
      for (const line of f.render()) out.push(line)
    }
    return out.join('\n') + '\n'
  }
}

/** process_* series every Prometheus client exposes (a subset). */
export function registerProcessMetrics (reg: MetricsRegistry): void {
  const startS = Math.round(Date.now() / 1000 - process.uptime())
  reg.collect('process_start_time_seconds', 'Start time of the process since the Unix epoch in seconds.', 'gauge', () => startS)
  reg.collect('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', () => process.memoryUsage.rss())
  reg.collect('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1e6
  })
}

/** A bare HTTP listener for GET /metrics, for a process that has no HTTP server of its own. */
export async function serveMetrics (reg: MetricsRegistry, o: { host?: string, port: number }): Promise<{ url: string, close (): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(reg.render())
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    }
  })
  const host = o.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(o.port, host, () => resolve()) })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : o.port
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
