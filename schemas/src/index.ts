// The wire contract: generated protobuf classes (schemas/gen, from schemas/proto) and topic helpers.
import $protobuf from 'protobufjs/minimal.js'
// The contract's int64 fields (µs times, seq) are JS numbers: without this, protobufjs decodes them
// to Long objects because the `long` package is installed, though the generated typings say number.
// Every value we use is below 2^53 (µs since 1970 stays below it until the year 2255).
$protobuf.util.Long = undefined as unknown as typeof $protobuf.util.Long
$protobuf.configure()
export { rigstream } from '../gen/rigstream.js'
export * from './topics.js'
import { rigstream } from '../gen/rigstream.js'
export const FrameBatch = rigstream.v1.FrameBatch
export type FrameBatch = rigstream.v1.FrameBatch
export const ChannelSamples = rigstream.v1.ChannelSamples
export type ChannelSamples = rigstream.v1.ChannelSamples
export const RigState = rigstream.v1.RigState
export type RigState = rigstream.v1.RigState
export const Prediction = rigstream.v1.Prediction
export type Prediction = rigstream.v1.Prediction
export const HeadResult = rigstream.v1.HeadResult
export type HeadResult = rigstream.v1.HeadResult
export const Alert = rigstream.v1.Alert
export type Alert = rigstream.v1.Alert
export const DeadLetter = rigstream.v1.DeadLetter
export type DeadLetter = rigstream.v1.DeadLetter
export const ModelCommand = rigstream.v1.ModelCommand
export type ModelCommand = rigstream.v1.ModelCommand
export const CommandReply = rigstream.v1.CommandReply
export type CommandReply = rigstream.v1.CommandReply
