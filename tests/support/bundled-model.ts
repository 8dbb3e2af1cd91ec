// The version of the model package bundled with the agents (DEFAULT_MODEL_DIR in
// inference/src/package.ts), read from its manifest. Tests that check "the agent runs the bundled
// package" name it through this, so a new reference package changes one directory, not the tests.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_MODEL_DIR, MANIFEST_FILE } from '../../inference/src/package.js'

export const BUNDLED_VERSION: string = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, MANIFEST_FILE), 'utf8')).version
