// Wires local diagnosis, the durable outbox and model commands into the agent as one extension.
import type { KeyObject } from 'node:crypto'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { MqttClient } from 'mqtt'
import type { Logger } from '../../../common/src/logger.js'
import type { AgentExtension, ExtensionContext } from '../extensions.js'
import { ModelCommandHandler } from '../model-update/command.js'
import { ModelManager } from '../model-update/manager.js'
import type { SourceWindow } from '../sources/types.js'
import type { AlertRuleOptions } from './alerts.js'
import { Diagnosis } from './diagnosis.js'
import { Outbox } from './outbox.js'

export interface EdgeDiagnosisOptions {
  tenant: string
  rig: string
  /** the agent's state dir; this keeps stateDir/<tenant>/<rig>/{outbox,models} */
  stateDir: string
  log: Logger
  /** the package used until an update is active */
  baseModelDir: string
  publicKey?: KeyObject
  updateBaseUrl?: string
  backend?: 'node' | 'web' | 'auto' | 'ts'
  nodeModule?: string
  alerts?: AlertRuleOptions
  /** how long stop() waits for the outbox to drain while connected; default 2000 ms */
  drainMs?: number
}

export class EdgeDiagnosis implements AgentExtension {
  private client: MqttClient | undefined

  private constructor (
    readonly models: ModelManager,
    readonly outbox: Outbox,
    readonly diagnosis: Diagnosis,
    readonly commands: ModelCommandHandler,
    private readonly drainMs: number
  ) {}

  static async start (o: EdgeDiagnosisOptions): Promise<EdgeDiagnosis> {
    const log = o.log.child({ part: 'diagnosis', tenant: o.tenant, rig: o.rig })
    const root = join(o.stateDir, o.tenant, o.rig)
    const models = await ModelManager.open({
      dir: join(root, 'models'),
      baseModelDir: o.baseModelDir,
      publicKey: o.publicKey,
      updateBaseUrl: o.updateBaseUrl,
      backend: o.backend,
      nodeModule: o.nodeModule,
      log
    })
    const outbox = await Outbox.open(join(root, 'outbox'), log)
    let self: EdgeDiagnosis | undefined
    const diagnosis = new Diagnosis({ tenant: o.tenant, rig: o.rig, models, outbox, log, alerts: o.alerts, online: () => self?.client?.connected === true })
    const commands = new ModelCommandHandler(o.tenant, o.rig, models, outbox, log)
    self = new EdgeDiagnosis(models, outbox, diagnosis, commands, o.drainMs ?? 2000)
    return self
  }

  attach (ctx: ExtensionContext): void {
    this.client = ctx.client
    this.outbox.attach(ctx.client)
    this.commands.attach(ctx.client)
    this.commands.afterUpdate = ctx.publishState
  }

  modelVersion (): string {
    return this.models.version()
  }

  onWindow (w: SourceWindow, seq: number): void {
    this.diagnosis.onWindow(w, seq)
  }

  async stop (): Promise<void> {
    await this.diagnosis.idle()
    // an update under way is abandoned (its download aborted), never half-applied
    this.models.abortUpdate()
    await this.commands.idle()
    // what is not delivered by now stays on disk for the next run
    if (this.client?.connected === true) {
      const deadline = Date.now() + this.drainMs
      while (this.outbox.stats.pending > 0 && this.client.connected && Date.now() < deadline) {
        await Promise.race([this.outbox.settled(), sleep(50, undefined, { ref: false })])
      }
    }
    this.outbox.close()
    await this.models.close()
  }
}
