// Rig sources: real UCI cycles replayed, or a simulator of the full reference channel set.
export type { RigSource, SourceChannel, SourceWindow, CycleLabels } from './types.js'
export { createUciReplay, type UciReplayOptions, type UciReplaySource } from './uci-replay.js'
export { createSimulator, FAULT_LEVELS, HEALTHY, type Faults, type SimulatorOptions, type SimulatorSource } from './simulator.js'
export { loadUciData, UCI_CHANNELS, DEFAULT_UCI_DIR } from './uci-data.js'
