#!/usr/bin/env node
// The rigstream command. Built code lives in dist/ (npm ci runs the build through "prepare").
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const main = new URL('../dist/cli/src/main.js', import.meta.url)
if (!existsSync(fileURLToPath(main))) {
  console.error('rigstream is not built yet: run `npm run build` (npm ci / npm install do it for you).')
  process.exit(1)
}
const { run } = await import(main.href)
await run(process.argv.slice(2))
