// The model command: ModelCommand on rs/v1/{tenant}/{rig}/cmd/model (QoS 1), CommandReply on
// rs/v1/{tenant}/{rig}/cmd-reply through the durable outbox. One update at a time; a command that
// arrives during an update is refused with a reply, not queued.
import type { MqttClient } from 'mqtt'
import { cmdTopic, CommandReply, ModelCommand, rigTopic } from '../../../schemas/src/index.js'
import type { Logger } from '../../../common/src/logger.js'
import type { Outbox } from '../diagnosis/outbox.js'
import type { ModelManager, UpdateResult } from './manager.js'

export const MODEL_COMMAND = 'model'

export class ModelCommandHandler {
  readonly topic: string
  private readonly replyTopic: string
  private running: Promise<void> = Promise.resolve()
  /** last reply, for the health endpoint */
  last: (UpdateResult & { at: number }) | null = null
  /** called after every update attempt (applied or rolled back): the agent republishes its state */
  afterUpdate: (() => void) | undefined

  constructor (tenant: string, rig: string, private readonly models: ModelManager, private readonly outbox: Outbox, private readonly log: Logger) {
    this.topic = cmdTopic(tenant, rig, MODEL_COMMAND)
    this.replyTopic = rigTopic(tenant, rig, 'cmd-reply')
  }

  attach (client: MqttClient): void {
    // subscribed on every connect: the session is persistent, but the first connect has none and
    // a broker may have lost it (resubscribe is off in the agent's MQTT options)
    const subscribe = (): void => {
      client.subscribe(this.topic, { qos: 1 }, err => {
        if (err) this.log.warn({ err: err.message, topic: this.topic }, 'cannot subscribe to model commands')
      })
    }
    client.on('connect', subscribe)
    if (client.connected) subscribe()
    client.on('message', (topic, payload) => {
      if (topic !== this.topic) return
      this.running = this.running.then(async () => { await this.handle(payload) })
    })
  }

  async handle (payload: Buffer): Promise<UpdateResult> {
    let cmd: ModelCommand
    let result: UpdateResult
    try {
      cmd = ModelCommand.decode(payload)
    } catch (err) {
      result = { ok: false, detail: `RS_ERR_MODEL_COMMAND: payload is not a ModelCommand (${(err as Error).message})`, activeVersion: this.models.version(), code: 'RS_ERR_MODEL_COMMAND' }
      await this.reply(result)
      return result
    }
    this.log.info({ version: cmd.version, url: cmd.url }, 'model command received')
    result = await this.models.update({ version: cmd.version, url: cmd.url, sha256: cmd.sha256 })
    // the retained state names the active version: the new one, or the one rolled back to
    this.afterUpdate?.()
    await this.reply(result)
    return result
  }

  async idle (): Promise<void> {
    await this.running
  }

  private async reply (r: UpdateResult): Promise<void> {
    this.last = { ...r, at: Date.now() }
    const bytes = CommandReply.encode({ command: MODEL_COMMAND, ok: r.ok, detail: r.detail, activeVersion: r.activeVersion }).finish()
    await this.outbox.add(this.replyTopic, bytes)
  }
}
