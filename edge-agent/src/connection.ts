// The MQTT session of one rig: options (MQTT 3.1.1, persistent session, last will) and state payloads.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { RigState, rigTopic } from '../../schemas/src/index.js'
import { AGENT_VERSION } from './version.js'

export interface ConnectionOptions {
  brokerUrl: string
  tenant: string
  rig: string
  clientId: string
  username?: string
  password?: string
  profileId: string
  sourceKind: string
  /** fixed delay between reconnect attempts; issue 4 replaces this with backoff and jitter */
  reconnectPeriodMs?: number
}

export function statePayload (status: 'ONLINE' | 'OFFLINE', o: Pick<ConnectionOptions, 'profileId' | 'sourceKind'>, modelVersion = ''): Buffer {
  const bytes = RigState.encode({
    status: status === 'ONLINE' ? RigState.Status.ONLINE : RigState.Status.OFFLINE,
    timeUs: nowUs(),
    agentVersion: AGENT_VERSION,
    modelVersion,
    profile: o.profileId,
    source: o.sourceKind
  }).finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

export function mqttOptions (o: ConnectionOptions): IClientOptions {
  return {
    // aedes speaks MQTT 3.1.1 only
    protocolVersion: 4,
    clientId: o.clientId,
    // A persistent session: the broker keeps our QoS 1 state across reconnects [MQTT-3.1.2-4].
    clean: false,
    username: o.username,
    password: o.password,
    keepalive: 30,
    connectTimeout: 10_000,
    reconnectPeriod: o.reconnectPeriodMs ?? 1000,
    resubscribe: false,
    queueQoSZero: false,
    // Death: the broker publishes this retained OFFLINE when the connection ends without a
    // DISCONNECT [MQTT-3.1.2-8]. Its time_us is when the session was opened (refreshed on reconnect).
    will: { topic: rigTopic(o.tenant, o.rig, 'state'), payload: statePayload('OFFLINE', o), qos: 1, retain: true }
  }
}

export function connect (o: ConnectionOptions): MqttClient {
  const client = mqtt.connect(o.brokerUrl, mqttOptions(o))
  client.on('reconnect', () => {
    const will = client.options.will
    if (will) will.payload = statePayload('OFFLINE', o)
  })
  return client
}

/**
 * Agent wall clock, µs since the epoch. Date.now (ms) on purpose: it follows NTP, which is what
 * drift detection against the server compares; a monotonic clock would wander from it over days.
 */
export function nowUs (): number {
  return Date.now() * 1000
}
