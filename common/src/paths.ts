import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { existsSync } from 'node:fs'

function findRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas', 'proto'))) return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('rigstream: cannot find the repository root from ' + fileURLToPath(import.meta.url))
    dir = up
  }
}

/** Repository root (works from src/ under tsx and from dist/ after tsc). */
export const ROOT = findRoot()
export const repoPath = (...parts: string[]): string => join(ROOT, ...parts)
