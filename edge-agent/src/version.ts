import { readFileSync } from 'node:fs'
import { repoPath } from '../../common/src/paths.js'

/** The agent's version: the package version, read once. */
export const AGENT_VERSION: string = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version
