#!/usr/bin/env node
// The rigstream command. Built code lives in dist/ (npm ci runs the build through "prepare").
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const main = new URL('../dist/cli/src/main.js', import.meta.url)
if (!existsSync(fileURLToPath(main))) {
  console.error('rigstream is not built yet: run `npm run build` (npm ci / npm install do it for you).')
  process.exit(1)
}
if (process.argv[2] === 'agent') {
  // The edge agent runs with its node flags (edge-agent/src/node-flags.ts). Started without them
  // (by hand, `rigstream agent ...`), it runs itself again as a child with them; the systemd unit
  // passes them on the node command line, so the agent runs in one process there.
  // RS_AGENT_REEXEC=0 runs it as started (e.g. under a supervisor that sets node flags of its own).
  const { missingAgentFlags } = await import(new URL('../dist/edge-agent/src/node-flags.js', import.meta.url).href)
  const missing = process.env.RS_AGENT_REEXEC === '0' ? [] : missingAgentFlags()
  if (missing.length > 0) {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [...process.execArgv, ...missing, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
    // Ctrl-C in a terminal reaches the child too (same process group): this process ignores SIGINT
    // rather than sending a second one; SIGTERM and SIGHUP (kill, a supervisor) are passed on.
    process.on('SIGINT', () => {})
    for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => { child.kill(sig) })
    child.on('error', err => {
      console.error(`rigstream agent: cannot start node with ${missing.join(' ')}: ${err.message}`)
      process.exit(1)
    })
    child.on('exit', (code, signal) => {
      if (signal) {
        process.removeAllListeners(signal)
        process.kill(process.pid, signal)
      } else {
        process.exit(code ?? 1)
      }
    })
  } else {
    const { run } = await import(main.href)
    await run(process.argv.slice(2))
  }
} else {
  const { run } = await import(main.href)
  await run(process.argv.slice(2))
}
