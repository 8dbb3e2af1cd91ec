/**
 * The live WebSocket protocol (GET /ws), version 1. JSON text messages, one object each, with a
 * `type`; with `/ws?batch=1` a message may instead be a JSON array of such objects, in order
 * (everything the server wrote to the client in one turn of its event loop). Client → server: subscribe, unsubscribe. Server → client: everything else below.
 * docs/ and the page (cloud-api/web/live.js) speak the same shapes.
 */
import type { DisplaySeries } from './downsample.js'

export const PROTOCOL_VERSION = 1

/** Client → server. `channels` omitted or null: every channel the rig's frames carry. */
export interface SubscribeMessage { type: 'subscribe', tenant: string, rig: string, channels?: string[] | null }
export interface UnsubscribeMessage { type: 'unsubscribe', tenant: string, rig: string }
export type ClientMessage = SubscribeMessage | UnsubscribeMessage

/** Server → client. */
export interface HelloMessage { type: 'hello', protocol: number, maxPointsPerSecond: number, downsample: 'minmax', /** messages may come as arrays (/ws?batch=1) */ batch: boolean }
export interface SubscribedMessage { type: 'subscribed', tenant: string, rig: string, channels: string[] | null }
export interface UnsubscribedMessage { type: 'unsubscribed', tenant: string, rig: string }
export interface FramesMessage {
  type: 'frames'
  tenant: string
  rig: string
  seq: number
  windowStartUs: number
  channels: Record<string, DisplaySeries>
}
export interface StateMessage { type: 'state', tenant: string, rig: string, state: Record<string, unknown> }
export interface PredictionMessage { type: 'prediction', tenant: string, rig: string, prediction: Record<string, unknown> }
export interface AlertMessage { type: 'alert', tenant: string, rig: string, alert: Record<string, unknown> }
/** A rig the server had not seen before has appeared (frames or state). */
export interface RigsMessage { type: 'rigs', added: Array<{ tenant: string, rig: string }> }
/** `dropped` frames messages were not sent to this client since the last lag message: it reads too slowly. */
export interface LagMessage { type: 'lag', dropped: number }
export interface ErrorMessage { type: 'error', code: string, message: string }

export type ServerMessage = HelloMessage | SubscribedMessage | UnsubscribedMessage | FramesMessage | StateMessage |
PredictionMessage | AlertMessage | RigsMessage | LagMessage | ErrorMessage

/** Channel ids on the wire: the same alphabet as profile ids, bounded. */
export const CHANNEL_ID_PATTERN = /^[A-Za-z0-9_]{1,32}$/
export const MAX_CHANNELS_PER_SUBSCRIPTION = 64
