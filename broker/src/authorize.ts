// Topic authorization: pure functions of (principal, topic or filter). No I/O, no state.
//
//   device {tenant}/{rig}  PUBLISH   rs/v1/{tenant}/{rig}/{frames|state|predictions|alerts|cmd-reply}
//                          SUBSCRIBE rs/v1/{tenant}/{rig}/cmd/# or any filter inside it
//   service svc:{name}     PUBLISH   rs/v1/{t}/{r}/cmd/{name}[/...], rs/v1/{t}/{r}/{predictions|alerts}
//                          SUBSCRIBE any filter under rs/v1/ (e.g. rs/v1/+/+/frames)
// Everything else, $SYS included, is refused. The *Refusal functions say why (for the log).
import { isValidId, TOPIC_ROOT } from '../../schemas/src/topics.js'
import type { Principal } from './principal.js'

const ROOT = TOPIC_ROOT.split('/') // ['rs', 'v1']
const DEVICE_PUBLISH_KINDS: ReadonlySet<string> = new Set(['frames', 'state', 'predictions', 'alerts', 'cmd-reply'])
const SERVICE_PUBLISH_KINDS: ReadonlySet<string> = new Set(['predictions', 'alerts'])

export function authorizePublish (p: Principal, topic: string): boolean {
  return publishRefusal(p, topic) === null
}

export function authorizeSubscribe (p: Principal, filter: string): boolean {
  return subscribeRefusal(p, filter) === null
}

/** null when `p` may publish to `topic`, else the reason it may not. */
export function publishRefusal (p: Principal, topic: string): string | null {
  // [MQTT-3.3.2-2] a PUBLISH topic name must not contain wildcards; [MQTT-4.7.3-1] nor be empty
  if (topic.length === 0 || /[#+\u0000]/.test(topic)) return 'topic name is empty or has a wildcard'
  const levels = topic.split('/')
  if (!underRoot(levels)) return 'topic is not under rs/v1/'
  if (p.kind === 'device') {
    if (levels[2] !== p.tenant) return 'topic belongs to another tenant'
    if (levels[3] !== p.rig) return 'topic belongs to another rig'
    if (levels.length !== 5 || !DEVICE_PUBLISH_KINDS.has(levels[4])) return 'device may publish only to frames, state, predictions, alerts or cmd-reply of its own rig'
    return null
  }
  if (!isValidId(levels[2] ?? '') || !isValidId(levels[3] ?? '')) return 'tenant or rig level is not a valid id'
  if (levels.length === 5 && SERVICE_PUBLISH_KINDS.has(levels[4])) return null
  if (levels.length >= 6 && levels[4] === 'cmd' && levels.slice(5).every(l => l.length > 0)) return null
  return 'service may publish only to rs/v1/{tenant}/{rig}/cmd/{name}, predictions or alerts'
}

/** null when `p` may subscribe to `filter`, else the reason it may not. */
export function subscribeRefusal (p: Principal, filter: string): string | null {
  const levels = filter.split('/')
  if (!isWellFormedFilter(filter, levels)) return 'malformed topic filter'
  if (!underRoot(levels)) return 'filter is not under rs/v1/'
  if (p.kind === 'device') {
    // Inside rs/v1/{tenant}/{rig}/cmd/# means: the first five levels are exactly these literals
    // (no wildcard there), whatever follows. `.../cmd` alone is inside too: cmd/# matches its
    // parent level [MQTT-4.7.1-2].
    if (levels.length < 5) return 'device may subscribe only inside its own rs/v1/{tenant}/{rig}/cmd/#'
    if (levels[2] !== p.tenant) return 'filter reaches another tenant'
    if (levels[3] !== p.rig) return 'filter reaches another rig'
    if (levels[4] !== 'cmd') return 'device may subscribe only inside its own rs/v1/{tenant}/{rig}/cmd/#'
    return null
  }
  return null
}

/**
 * The prefix every topic delivered to `p` must start with: a second fence behind
 * subscribeRefusal, for messages that reach a client by another way than its own SUBSCRIBE
 * (a persistent session taken over, a restored queue). Computed once per session; the per-message
 * check is one startsWith. Ids cannot contain '/', so a prefix match is a level match.
 */
export function receivePrefix (p: Principal): string {
  return p.kind === 'service' ? `${TOPIC_ROOT}/` : `${TOPIC_ROOT}/${p.tenant}/${p.rig}/cmd/`
}

export function mayReceive (p: Principal, topic: string): boolean {
  return topic.startsWith(receivePrefix(p))
}

// The first two levels are literally rs and v1 and at least one level follows.
function underRoot (levels: string[]): boolean {
  return levels.length > ROOT.length && levels[0] === ROOT[0] && levels[1] === ROOT[1]
}

// [MQTT-4.7.1-2] '#' only alone and last; [MQTT-4.7.1-3] '+' only alone in its level;
// [MQTT-4.7.3-1] at least one character; [MQTT-4.7.3-2] no U+0000.
function isWellFormedFilter (filter: string, levels: string[]): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) return false
    if (l.includes('+') && l !== '+') return false
  }
  return true
}
