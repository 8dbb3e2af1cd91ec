// One source window -> one FrameBatch payload (schemas/proto/rigstream/v1/frames.proto).
import { FrameBatch } from '../../schemas/src/index.js'
import { DEFAULT_PROFILE_ID } from '../../common/src/profile.js'
import type { SourceWindow } from './sources/types.js'

/**
 * Encodes one window of rig `rig` of `tenant` as a FrameBatch with the given seq.
 * `sentUs` is the agent clock when the frame is first published (drift detection);
 * `profileId` names the rig profile the channels belong to (the source's `profileId`).
 */
export function toFrameBatch (tenant: string, rig: string, seq: number, window: SourceWindow, sentUs: number, profileId: string = DEFAULT_PROFILE_ID): Uint8Array {
  return FrameBatch.encode({
    tenant,
    rig,
    seq,
    windowStartUs: window.windowStartUs,
    windowUs: window.windowUs,
    profile: profileId,
    // protobufjs writes packed floats straight from the Float32Array (no copy to number[])
    channels: window.channels.map(c => ({ id: c.id, rateHz: c.rateHz, startUs: c.startUs, samples: c.samples as unknown as number[] })),
    sentUs,
    cycle: window.cycle
  }).finish()
}
