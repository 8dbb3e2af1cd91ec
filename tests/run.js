#!/usr/bin/env node
// The test command (npm test): runs every compiled test file with Node's own test runner.
// Starts the shared real services once for the whole run: an embedded PostgreSQL (each test
// creates its own database in it) and, when the jars are present, a single-node Kafka broker.
// Usage: node tests/run.js [substring filters...]
import { readdirSync, statSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
const filters = process.argv.slice(2)

function walk (dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (name === 'node_modules') continue
    if (statSync(p).isDirectory()) walk(p, out)
    else if (name.endsWith('.test.js')) out.push(p)
  }
  return out
}

const files = walk(dist).filter(f => filters.length === 0 || filters.some(s => relative(dist, f).includes(s))).sort()
if (files.length === 0) { console.error('no test files matched'); process.exit(1) }

const env = { ...process.env, NODE_ENV: 'test' }
const cleanups = []

const { startEmbeddedPostgres } = await import(join(dist, 'common/src/embedded-postgres.js'))
const say = { warn: (o, m) => console.log(`# ${m} ${JSON.stringify(o)}`), debug: () => {} }
const pg = await startEmbeddedPostgres({ dir: join(tmpdir(), `rs-test-pg-run-${process.pid}`), persistent: false, log: say })
cleanups.push(() => pg.stop())
env.RS_TEST_PG_ADMIN_URL = pg.adminUrl
console.log(`# PostgreSQL (embedded) for tests on port ${pg.port}`)

const kafkaSupport = join(dist, 'tests/support/kafka.js')
if (!env.RS_TEST_KAFKA_BROKERS && existsSync(kafkaSupport)) {
  const { startKafka } = await import(kafkaSupport)
  const k = await startKafka()
  cleanups.push(() => k.stop())
  env.RS_TEST_KAFKA_BROKERS = k.brokers
  console.log(`# Kafka (KRaft, single node) for tests at ${k.brokers}`)
}

// Files are run one at a time, except the long outage test (20 agents through a 5-minute broker
// black hole: mostly waiting), which starts first in a second slot so that the rest of the suite
// runs beside it instead of after it. The other files still run one after another.
const LONG = ['tests/faults/outages.test.js']
const long = files.filter(f => LONG.some(l => f.endsWith(l)))
const ordered = [...long, ...files.filter(f => !long.includes(f))]
const concurrency = long.length > 0 && ordered.length > long.length ? 2 : 1
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-force-exit', '--test-timeout=900000', ...ordered], { stdio: 'inherit', env, cwd: root })
const code = await new Promise(resolve => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))))
for (const c of cleanups.reverse()) { try { await c() } catch (e) { console.error('cleanup failed:', e) } }
process.exit(code)
