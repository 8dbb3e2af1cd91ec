// The cloud inference worker: frames -> cycle windows -> micro-batches -> predictions stored
// (PostgreSQL), produced (rs.predictions.v1) and pushed (LiveBus). Two feeds share one core:
// a Kafka consumer group on rs.frames.v1 (`rigstream worker`, kafka.ts) and the in-process
// LiveBus of the embedded `npm start` (bus.ts). docs/worker.md.
import type { Logger } from '../../../common/src/logger.js'
import type { LiveBus } from '../../../common/src/live.js'
import { requireProfile } from '../../../common/src/profile.js'
import { DEFAULT_MODEL_DIR } from '../package.js'
import { loadModel } from '../runtime.js'
import type { ModelRuntime } from '../types.js'
import { WindowAssembler, type AssemblerStats, type FrameLike } from './assembler.js'
import { InferencePipeline, type PipelineStats, type PredictionSink } from './pipeline.js'
import { chooseProviders } from './providers.js'
import type { PredictionStore } from './store.js'
import type { ClosedWindow, Hold } from './types.js'
import { rsError } from '../../../common/src/errors.js'
import { uciLabelSource, type LabelSource } from './shadow.js'

/** A candidate model package run in shadow beside the active one (docs/worker.md, "Shadow candidate"). */
export interface ShadowCandidate {
  /** the candidate's package directory (or `runtime`, already loaded) */
  modelDir?: string
  runtime?: ModelRuntime
  /** labels of windows that carry them: 'uci' = replayed UCI cycles by cycle number; default none */
  labels?: 'uci' | LabelSource | null
  /** with 'uci': the rigs (pattern on the rig id) that replay the UCI data set; default every rig */
  labelRigs?: string | null
}

export interface WorkerCoreOptions {
  store: PredictionStore
  sink?: PredictionSink | null
  bus?: LiveBus | null
  log: Logger
  /** model package directory (default: the reference package) */
  modelDir?: string
  /** a runtime already loaded (tests, bench); else loaded from modelDir */
  runtime?: ModelRuntime
  /** execution providers: 'auto' = CUDA when present, else CPU (default) */
  provider?: 'auto' | 'cpu' | 'cuda'
  /** intra-op threads of the session (default 1) */
  threads?: number
  maxBatch?: number
  maxWaitMs?: number
  alertCycles?: number
  onDurable?: (windows: readonly ClosedWindow[], atMs: number) => void
  /** a candidate model run in shadow on the same windows (absent: none) */
  shadow?: ShadowCandidate | null
}

export interface WorkerStats extends PipelineStats {
  provider: string
  backend: string
  modelVersion: string
  /** the shadow candidate, when one runs */
  shadowModel: { name: string, version: string } | null
  assembler: AssemblerStats
}

/** The part shared by both feeds: assembler + pipeline around one loaded model. */
export class WorkerCore {
  readonly assembler: WindowAssembler
  readonly pipeline: InferencePipeline

  private constructor (readonly runtime: ModelRuntime, private readonly ownRuntime: boolean, o: WorkerCoreOptions,
    readonly shadowRuntime: ModelRuntime | null = null, private readonly ownShadow = false, labels: LabelSource | null = null) {
    const m = runtime.manifest
    const profile = requireProfile(m.profile)
    const framesPerWindow = Math.round(profile.cycleSeconds * 1e6 / profile.windowUs)
    this.pipeline = new InferencePipeline({
      runtime,
      store: o.store,
      sink: o.sink,
      bus: o.bus,
      log: o.log,
      maxBatch: o.maxBatch,
      maxWaitMs: o.maxWaitMs,
      alertCycles: o.alertCycles,
      onDurable: o.onDurable,
      shadow: shadowRuntime ? { runtime: shadowRuntime, labels } : null
    })
    this.assembler = new WindowAssembler({
      channels: m.channels,
      samplesPerWindow: m.samplesPerWindow,
      framesPerWindow,
      frameUs: profile.windowUs,
      onWindow: w => this.pipeline.push(w)
    })
  }

  static async create (o: WorkerCoreOptions): Promise<WorkerCore> {
    let runtime = o.runtime
    if (!runtime) {
      const choice = chooseProviders(o.provider ?? 'auto')
      runtime = await loadModel(o.modelDir ?? DEFAULT_MODEL_DIR, { backend: 'node', providers: choice.providers, threads: o.threads ?? 1, log: o.log })
      o.log.info({ provider: runtime.provider, tried: choice.providers, reason: choice.reason, model: runtime.manifest.name, version: runtime.manifest.version }, 'inference worker: execution provider in use')
    }
    let shadow: ModelRuntime | null = null
    let labels: LabelSource | null = null
    if (o.shadow) {
      shadow = o.shadow.runtime ?? null
      if (!shadow) {
        if (!o.shadow.modelDir) throw rsError('RS_ERR_CONFIG', 'the shadow candidate needs a model package directory')
        const choice = chooseProviders(o.provider ?? 'auto')
        shadow = await loadModel(o.shadow.modelDir, { backend: 'node', providers: choice.providers, threads: o.threads ?? 1, log: o.log })
      }
      const a = runtime.manifest
      const c = shadow.manifest
      const fail = (why: string): never => { if (!o.shadow?.runtime) void shadow?.close(); throw rsError('RS_ERR_CONFIG', `shadow candidate ${c.name} ${c.version}: ${why}`) }
      if (c.name === a.name && c.version === a.version) fail('it is the active model itself (give the candidate another version)')
      if (c.profile !== a.profile || c.samplesPerWindow !== a.samplesPerWindow || c.channels.join(',') !== a.channels.join(',')) {
        fail(`it reads other windows than the active ${a.name} ${a.version} (profile, channels or samples per window differ)`)
      }
      labels = o.shadow.labels === 'uci' ? uciLabelSource({ rigs: o.shadow.labelRigs ? new RegExp(o.shadow.labelRigs) : null }) : (o.shadow.labels ?? null)
      o.log.info({ model: c.name, version: c.version, active: a.version, provider: shadow.provider, labels: o.shadow.labels === 'uci' ? 'uci' : labels ? 'custom' : 'none', labelRigs: o.shadow.labelRigs ?? null }, 'inference worker: shadow candidate loaded')
    }
    return new WorkerCore(runtime, o.runtime === undefined, o, shadow, shadow !== null && o.shadow?.runtime === undefined, labels)
  }

  get provider (): string { return this.runtime.provider }

  /** One decoded frame; `hold` opens a commit hold when the frame starts a window. */
  add (batch: FrameLike, hold: (() => Hold) | null): boolean {
    return this.assembler.add(batch, hold)
  }

  stats (): WorkerStats {
    return { ...this.pipeline.stats(), provider: this.runtime.provider, backend: this.runtime.backend, modelVersion: this.pipeline.modelVersion, shadowModel: this.shadowRuntime ? { name: this.shadowRuntime.manifest.name, version: this.shadowRuntime.manifest.version } : null, assembler: this.assembler.stats() }
  }

  async close (): Promise<void> {
    await this.pipeline.close()
    if (this.ownRuntime) await this.runtime.close()
    if (this.ownShadow) await this.shadowRuntime?.close()
  }
}
