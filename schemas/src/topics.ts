// MQTT topic and Kafka topic names (../shared/DESIGN.md, "MQTT topics", "Kafka").
export const TOPIC_ROOT = 'rs/v1'

export type RigTopicKind = 'frames' | 'state' | 'predictions' | 'alerts' | 'cmd-reply'

export const KAFKA_TOPICS = Object.freeze({
  frames: 'rs.frames.v1',
  predictions: 'rs.predictions.v1',
  deadletter: 'rs.deadletter.v1'
})

/** Tenant and rig ids: 1-64 chars of [A-Za-z0-9_-]; no MQTT wildcards or separators can appear. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isValidId (id: string): boolean {
  return ID_PATTERN.test(id)
}

export function rigPrefix (tenant: string, rig: string): string {
  return `${TOPIC_ROOT}/${tenant}/${rig}/`
}

export function rigTopic (tenant: string, rig: string, kind: RigTopicKind): string {
  return `${TOPIC_ROOT}/${tenant}/${rig}/${kind}`
}

export function cmdTopic (tenant: string, rig: string, name: string): string {
  return `${TOPIC_ROOT}/${tenant}/${rig}/cmd/${name}`
}

/** Subscription filter for one kind across every tenant and rig (service clients only). */
export function allRigsFilter (kind: RigTopicKind): string {
  return `${TOPIC_ROOT}/+/+/${kind}`
}

export interface ParsedRigTopic {
  tenant: string
  rig: string
  kind: string
  /** command name for cmd/{name} topics */
  name?: string
}

/** Parses rs/v1/{tenant}/{rig}/{kind}[/{name}]; returns null for anything else. */
export function parseRigTopic (topic: string): ParsedRigTopic | null {
  const parts = topic.split('/')
  if (parts.length < 5 || parts[0] !== 'rs' || parts[1] !== 'v1') return null
  const [, , tenant, rig, kind, name] = parts
  if (!isValidId(tenant) || !isValidId(rig)) return null
  if (kind === 'cmd') {
    if (parts.length !== 6 || !name) return null
    return { tenant, rig, kind, name }
  }
  if (parts.length !== 5) return null
  return { tenant, rig, kind }
}

/** Kafka message key for a rig: keeps each rig on one partition, in order. */
export function kafkaKey (tenant: string, rig: string): string {
  return `${tenant}/${rig}`
}
