// rigstream model sign --key <private.pem> [--fixture-data <dir>] [--fixture-cycle N] [--keep-fixture] <package dir>
// rigstream model keygen --out <prefix>   (writes <prefix>.pem, private, mode 0600, and <prefix>.pub.pem)
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { rsError } from '../../../common/src/errors.js'
import { signPackage } from './package-sign.js'
import { readPrivateKey } from './signing.js'

export const SIGN_USAGE = `usage: rigstream model sign --key <ed25519 private key .pem> [--fixture-data <UCI-layout dir>] [--fixture-cycle N] [--keep-fixture] <package dir>
       rigstream model keygen --out <prefix>

sign: pins model.onnx (sha256, bytes) in manifest.json, writes the self-test fixture selftest.json
(one cycle window and this model's outputs on it), pins it, and writes the Ed25519 signature.
keygen: a new Ed25519 key pair, <prefix>.pem (private, 0600) and <prefix>.pub.pem (for model.publicKey).
`

export async function runSign (argv: string[]): Promise<void> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { key: { type: 'string' }, 'fixture-data': { type: 'string' }, 'fixture-cycle': { type: 'string' }, 'keep-fixture': { type: 'boolean' } } })
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', `${(err as Error).message}\n${SIGN_USAGE}`)
  }
  const { values, positionals } = parsed
  if (!values.key || positionals.length !== 1) throw rsError('RS_ERR_CONFIG', `--key and one package directory are required\n${SIGN_USAGE}`)
  const cycle = values['fixture-cycle'] === undefined ? undefined : Number(values['fixture-cycle'])
  if (cycle !== undefined && !(Number.isInteger(cycle) && cycle >= 0)) throw rsError('RS_ERR_CONFIG', `--fixture-cycle must be an integer >= 0, got ${values['fixture-cycle']}`)
  const manifest = await signPackage(positionals[0]!, readPrivateKey(values.key), { fixtureData: values['fixture-data'], fixtureCycle: cycle, keepFixture: values['keep-fixture'] })
  process.stdout.write(`signed ${String(manifest.name)} ${String(manifest.version)} in ${positionals[0]}\n`)
}

export async function runKeygen (argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } } })
  if (!values.out) throw rsError('RS_ERR_CONFIG', `--out <prefix> is required\n${SIGN_USAGE}`)
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  writeFileSync(`${values.out}.pem`, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
  writeFileSync(`${values.out}.pub.pem`, publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' })
  process.stdout.write(`wrote ${values.out}.pem (private: keep it off the gateways) and ${values.out}.pub.pem\n`)
}
