// Protobuf messages from the LiveBus → plain JSON for the browser. Decoded int64 fields may be
// Long objects (protobufjs uses `long` when it is installed); toObject with longs: Number turns
// them into numbers, enums into their names.
import { RigState, Prediction, Alert } from '../../../schemas/src/index.js'
import type { IConversionOptions } from 'protobufjs'

const opts: IConversionOptions = { longs: Number, enums: String, defaults: true }

export const stateJson = (s: RigState): Record<string, unknown> => RigState.toObject(s, opts)
export const predictionJson = (p: Prediction): Record<string, unknown> => Prediction.toObject(p, opts)
export const alertJson = (a: Alert): Record<string, unknown> => Alert.toObject(a, opts)

/** A protobuf int64 (number or Long) as a JS number. */
export function num (v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0)
}
