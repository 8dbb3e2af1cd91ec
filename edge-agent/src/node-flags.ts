// The node (V8) flags the edge agent runs with, in one place: `rigstream agent` re-executes itself
// with them when it was started without (bin/rigstream.js), deploy/systemd/rigstream-agent.service
// passes them on its ExecStart line (a test keeps the two in step), and bench/edge.ts starts the
// agent as that unit does. Measured effect on the running agent: docs/benchmarks.md, "Edge agent".
//   --max-semi-space-size=1  young generation of 1 MB semi-spaces instead of up to 16 MB: the
//                            agent allocates little (one frame a second), so a small nursery costs
//                            more frequent, tiny scavenges and saves resident memory.
//   --no-opt                 no optimizing compiler (TurboFan): the agent's JavaScript runs in the
//                            interpreter and the baseline compiler. It is I/O-bound at a fraction of
//                            a percent of a core; never loading TurboFan saves its code pages and
//                            optimized code. WebAssembly still works (the onnxruntime-web fallback).
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--no-opt']

/** the agent flags missing from a node command line (execArgv) and NODE_OPTIONS */
export function missingAgentFlags (execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env.NODE_OPTIONS ?? ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(f => f.replace(/_/g, '-')))
  return AGENT_NODE_FLAGS.filter(f => !given.has(f))
}
