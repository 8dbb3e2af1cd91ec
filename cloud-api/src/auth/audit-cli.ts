// `rigstream audit verify`: recomputes the audit log's hash chain in DATABASE_URL. Prints one JSON
// line {ok, rows, head[, brokenAt, reason]}; exits 1 with RS_ERR_AUDIT_CHAIN when it does not verify.
import pg from 'pg'
import { rsError } from '../../../common/src/errors.js'
import { readDatabaseUrl } from '../config.js'
import { verifyAuditChain } from './audit.js'

export const AUDIT_USAGE = `usage: rigstream audit verify

Recomputes the hash chain of the audit log (administrative actions of cloud-api) and prints
{"ok":true,"rows":n,"head":"<sha256 of the newest row>"}; when a row was changed, removed or
reordered it prints ok:false with the first bad row and fails with RS_ERR_AUDIT_CHAIN.
Keep "head" somewhere else too: a chain cut at its end still verifies, a changed head does not match.

env:
  DATABASE_URL   postgres://... (required)
`

export async function run (argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) { process.stdout.write(AUDIT_USAGE); return }
  if (argv[0] !== 'verify' || argv.length > 1) throw rsError('RS_ERR_CONFIG', `unknown audit command ${JSON.stringify(argv.join(' '))}\n${AUDIT_USAGE}`)
  const pool = new pg.Pool({ connectionString: readDatabaseUrl(process.env), max: 1 })
  try {
    const r = await verifyAuditChain(pool)
    process.stdout.write(JSON.stringify(r) + '\n')
    if (!r.ok) throw rsError('RS_ERR_AUDIT_CHAIN', `row ${r.brokenAt}: ${r.reason}`)
  } finally {
    await pool.end()
  }
}
