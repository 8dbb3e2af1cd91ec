// Renders docs/errors.md from the catalogue in errors.ts: `npm run docs:errors` writes it, and
// common/test/errors.test.ts fails when the committed file and the catalogue disagree.
import { writeFileSync } from 'node:fs'
import { ERRORS, type ErrorSpec } from './errors.js'
import { repoPath } from './paths.js'

export const ERRORS_DOC = repoPath('docs', 'errors.md')

export function renderErrorsDoc (): string {
  const rows = Object.entries(ERRORS as Record<string, ErrorSpec>).map(([code, s]) =>
    `| \`${code}\` | ${s.message} | ${s.retriable ? 'yes' : 'no'} | ${s.status ?? ''} |`)
  return [
    '# Error codes',
    '',
    'Every error rigstream raises on purpose carries one of these codes: in log lines (`code`), in',
    'dead-letter records (`reason`), in HTTP error bodies (`code`, with the status shown) and in the',
    'message of a failing command (`rigstream <command>: CODE: message: detail`). The detail after',
    'the message names what was wrong (the channel, the key, the value). Retriable errors are retried',
    'with capped exponential backoff and jitter by the one retry helper (`withRetry` in',
    '`common/src/errors.ts`); the others are final.',
    '',
    'This file is generated from `common/src/errors.ts` by `npm run docs:errors`; a test keeps the two equal.',
    '',
    'Over HTTP, a code with no status of its own answers 400 (the input was refused), or 503 when it is retriable (the infrastructure is down).',
    '',
    '| code | meaning | retriable | HTTP status |',
    '| --- | --- | --- | --- |',
    ...rows,
    ''
  ].join('\n')
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  writeFileSync(ERRORS_DOC, renderErrorsDoc())
  console.log(`wrote ${ERRORS_DOC}`)
}
