// What the agent offers the parts that ride along with it (local diagnosis, model commands, the
// health endpoint): the MQTT client once it exists, every window with its seq, and a stop hook.
// The agent stays a frame pipeline; these hooks are its only coupling to them.
import type { MqttClient } from 'mqtt'
import type { Logger } from '../../common/src/logger.js'
import type { SourceWindow } from './sources/types.js'

export interface ExtensionContext {
  client: MqttClient
  tenant: string
  rig: string
  /** the agent's logger (bound to tenant and rig) */
  log: Logger
  /** republishes the retained ONLINE state (e.g. after the active model changed); no-op while offline */
  publishState: () => void
}

export interface AgentExtension {
  /** once, right after the MQTT client is created (before it connects) */
  attach? (ctx: ExtensionContext): void
  /** every frame window, after it is in the spool; must be cheap and must not throw */
  onWindow? (window: SourceWindow, seq: number): void
  /** on stop, after the source stopped and before OFFLINE and disconnect */
  stop? (): Promise<void>
  /** the active model version, carried in RigState.model_version (birth, death, republished states) */
  modelVersion? (): string
}
