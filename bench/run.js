#!/usr/bin/env node
// npm run bench -- <scenario> [args...]: runs dist/bench/<scenario>.js (built from bench/<scenario>.ts).
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const [name, ...args] = process.argv.slice(2)
const dir = join(root, 'dist', 'bench')
const list = existsSync(dir) ? readdirSync(dir).filter(f => f.endsWith('.js') && !f.startsWith('_')).map(f => f.slice(0, -3)) : []
if (!name || !list.includes(name)) {
  console.error(`usage: npm run bench -- <${list.join('|') || 'scenario'}> [--quick] [--json]  (run npm run build first)`)
  process.exit(2)
}
// live runs ingest and the api in its own process as `npm start` does, with npm start's node flag:
// on two saturated cores V8's parallel scavenges waited for helper threads (docs/benchmarks.md, "Live push")
const flags = name === 'live' ? ['--single-threaded-gc'] : []
const child = spawn(process.execPath, ['--expose-gc', ...flags, join(dir, name + '.js'), ...args], { stdio: 'inherit', cwd: root })
child.on('exit', (code, sig) => process.exit(code ?? (sig ? 1 : 0)))
