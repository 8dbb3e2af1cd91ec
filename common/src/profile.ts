import { readFileSync } from 'node:fs'
import { repoPath } from './paths.js'

export interface ChannelSpec {
  id: string
  quantity: string
  unit: string
  rateHz: number
  min: number
  max: number
  circuit: string
}

export interface TargetSpec {
  name: string
  title: string
  values: number[]
  labels: string[]
  /** index of the healthy class */
  healthy: number
}

export interface RigProfile {
  id: string
  description: string
  cycleSeconds: number
  windowUs: number
  channels: ChannelSpec[]
  edges: Array<[string, string]>
  targets: TargetSpec[]
  /** derived: channel id -> spec */
  byId: ReadonlyMap<string, ChannelSpec>
  /** derived: samples per second per rig */
  samplesPerSecond: number
}

const cache = new Map<string, RigProfile>()

export const DEFAULT_PROFILE_ID = 'uci-hydraulic/v1'

// a Map, not an object literal: ids come from devices and URLs, and 'constructor' or '__proto__'
// must not find Object.prototype's members
const files = new Map<string, string>([['uci-hydraulic/v1', 'uci-hydraulic.json']])

export function loadProfile (id: string = DEFAULT_PROFILE_ID): RigProfile | undefined {
  const hit = cache.get(id)
  if (hit) return hit
  const file = files.get(id)
  if (!file) return undefined
  const raw = JSON.parse(readFileSync(repoPath('schemas', 'profiles', file), 'utf8')) as Omit<RigProfile, 'byId' | 'samplesPerSecond'>
  const profile: RigProfile = Object.freeze({
    ...raw,
    byId: new Map(raw.channels.map(c => [c.id, Object.freeze(c)])),
    samplesPerSecond: raw.channels.reduce((n, c) => n + c.rateHz, 0)
  })
  cache.set(id, profile)
  return profile
}

export function requireProfile (id: string = DEFAULT_PROFILE_ID): RigProfile {
  const p = loadProfile(id)
  if (!p) throw new Error(`unknown rig profile ${id}`)
  return p
}
