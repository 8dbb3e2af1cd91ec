// cloud-api's MQTT client for commands to rigs: publishes ModelCommand on
// rs/v1/{tenant}/{rig}/cmd/model (QoS 1) and receives every rig's CommandReply on
// rs/v1/+/+/cmd-reply (QoS 1), as a broker service account (which may publish cmd/# and
// subscribe everywhere: broker/src/authorize.ts).
//
// The session is persistent (clean: false) under a client id that should be stable per api
// instance, so replies that arrive while the api restarts are queued by the broker, not lost.
import mqtt, { type MqttClient } from 'mqtt'
import type { Logger } from '../../../common/src/logger.js'
import { rsError } from '../../../common/src/errors.js'
import { allRigsFilter, cmdTopic, CommandReply, ModelCommand, parseRigTopic } from '../../../schemas/src/index.js'

export interface ModelCommandsOptions {
  url: string
  username?: string | null
  password?: string | null
  /** stable per api instance (persistent session); default rs-api-commands */
  clientId?: string
  log: Logger
}

export interface ModelReply { tenant: string, rig: string, ok: boolean, detail: string, activeVersion: string }

export interface ModelCommands {
  connected (): boolean
  /** publishes at QoS 1 and resolves on the broker's PUBACK */
  send (tenant: string, rig: string, cmd: { version: string, url: string, sha256: string }): Promise<void>
  /** every model CommandReply of every rig */
  onReply (fn: (r: ModelReply) => void): void
  close (): Promise<void>
}

/** Resolves once connected and subscribed; rejects when the first connection is refused. */
export async function startModelCommands (o: ModelCommandsOptions): Promise<ModelCommands> {
  const log = o.log
  const listeners: Array<(r: ModelReply) => void> = []
  const filter = allRigsFilter('cmd-reply')
  const client: MqttClient = mqtt.connect(o.url, {
    clientId: o.clientId ?? 'rs-api-commands',
    username: o.username ?? undefined,
    password: o.password ?? undefined,
    protocolVersion: 4,
    clean: false,
    reconnectPeriod: 1000,
    connectTimeout: 10_000
  })
  client.on('message', (topic, payload) => {
    const t = parseRigTopic(topic)
    if (!t || t.kind !== 'cmd-reply') return
    let r: CommandReply
    try {
      r = CommandReply.decode(payload)
    } catch (err) {
      log.warn({ topic, err: (err as Error).message, code: 'RS_ERR_DECODE' }, 'commands: reply is not a CommandReply; skipped')
      return
    }
    if (r.command !== 'model') return
    const reply: ModelReply = { tenant: t.tenant, rig: t.rig, ok: r.ok, detail: r.detail, activeVersion: r.activeVersion }
    for (const fn of listeners) {
      try { fn(reply) } catch (err) { log.error({ err }, 'commands: reply listener failed') }
    }
  })
  client.on('connect', ack => {
    log.info({ url: o.url, sessionPresent: ack.sessionPresent }, 'commands: connected to MQTT')
    // subscribed on every connect: a broker may have lost the session
    client.subscribe(filter, { qos: 1 }, err => { if (err) log.error({ err }, 'commands: subscribe to cmd-reply failed') })
  })
  client.on('offline', () => log.warn({ url: o.url }, 'commands: MQTT connection lost, reconnecting'))
  client.on('error', err => log.warn({ err: err.message }, 'commands: MQTT error'))

  await new Promise<void>((resolve, reject) => {
    const onPacket = (p: { cmd: string }): void => { if (p.cmd === 'suback') { cleanup(); resolve() } }
    const onErr = (err: Error): void => { cleanup(); reject(err) }
    const cleanup = (): void => { client.off('error', onErr); client.off('packetreceive', onPacket) }
    client.once('error', onErr)
    client.on('packetreceive', onPacket)
  }).catch(async err => { await client.endAsync(true); throw err })

  return {
    connected: () => client.connected,
    async send (tenant, rig, cmd) {
      if (!client.connected) throw rsError('RS_ERR_COMMANDS_UNAVAILABLE', 'not connected to the broker')
      try {
        await client.publishAsync(cmdTopic(tenant, rig, 'model'), Buffer.from(ModelCommand.encode(cmd).finish()), { qos: 1 })
      } catch (err) {
        throw rsError('RS_ERR_COMMANDS_UNAVAILABLE', `publish to ${tenant}/${rig}: ${(err as Error).message}`, err)
      }
    },
    onReply: fn => { listeners.push(fn) },
    close: async () => { await client.endAsync() }
  }
}
