// rigstream model sign --key <private.pem> [--fixture-data <dir>] [--fixture-cycle N] [--keep-fixture] <package dir>
// rigstream model keygen --out <prefix>   (writes <prefix>.pem, private, mode 0600, and <prefix>.pub.pem)
// rigstream model deploy --broker <url> --tenant T --rig R --version V [--url U] [--sha256 H] [--timeout S]
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import mqtt from 'mqtt'
import { cmdTopic, CommandReply, isValidId, ModelCommand, rigTopic } from '../../../schemas/src/index.js'
import { rsError } from '../../../common/src/errors.js'
import { signPackage } from './package-sign.js'
import { readPrivateKey } from './signing.js'

export const SIGN_USAGE = `usage: rigstream model sign --key <ed25519 private key .pem> [--fixture-data <UCI-layout dir>] [--fixture-cycle N] [--keep-fixture] <package dir>
       rigstream model keygen --out <prefix>
       rigstream model deploy --broker <mqtt url> --tenant <t> --rig <r> --version <v> [--url <package url>] [--sha256 <manifest sha256>] [--timeout <s>]

sign: pins model.onnx (sha256, bytes) in manifest.json, writes the self-test fixture selftest.json
(one cycle window and this model's outputs on it), pins it, and writes the Ed25519 signature.
keygen: a new Ed25519 key pair, <prefix>.pem (private, 0600) and <prefix>.pub.pem (for model.publicKey).
deploy: publishes a ModelCommand on rs/v1/<t>/<r>/cmd/model and waits for the agent's CommandReply
(printed as JSON; exit code 1 when the agent refused). Broker credentials: MQTT_USERNAME, MQTT_PASSWORD
(a service account that may publish commands).
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

export async function runDeploy (argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let values: Record<string, string | undefined>
  try {
    values = parseArgs({ args: argv, options: { broker: { type: 'string' }, tenant: { type: 'string' }, rig: { type: 'string' }, version: { type: 'string' }, url: { type: 'string' }, sha256: { type: 'string' }, timeout: { type: 'string' } } }).values
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', `${(err as Error).message}\n${SIGN_USAGE}`)
  }
  for (const k of ['broker', 'tenant', 'rig', 'version'] as const) if (!values[k]) throw rsError('RS_ERR_CONFIG', `--${k} is required\n${SIGN_USAGE}`)
  const { broker, tenant, rig, version } = values as Record<'broker' | 'tenant' | 'rig' | 'version', string>
  if (!isValidId(tenant) || !isValidId(rig)) throw rsError('RS_ERR_CONFIG', '--tenant and --rig must be 1-64 characters of A-Z a-z 0-9 _ -')
  if (values.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(values.sha256)) throw rsError('RS_ERR_CONFIG', '--sha256 must be 64 hex digits (sha256 of the package manifest.json)')
  const timeoutS = Number(values.timeout ?? '120')
  if (!(timeoutS > 0)) throw rsError('RS_ERR_CONFIG', `--timeout must be a number of seconds > 0, got ${values.timeout}`)
  const client = await mqtt.connectAsync(broker, { protocolVersion: 4, clean: true, reconnectPeriod: 0, username: env.MQTT_USERNAME || undefined, password: env.MQTT_PASSWORD || undefined, clientId: `rs-model-deploy-${process.pid}` })
  try {
    const reply = new Promise<CommandReply>((resolve, reject) => {
      const timer = setTimeout(() => reject(rsError('RS_ERR_MODEL_COMMAND', `no reply from ${tenant}/${rig} within ${timeoutS} s (is the agent online, with diagnosis on?)`)), timeoutS * 1000)
      client.on('message', (_topic, payload) => {
        let r: CommandReply
        try { r = CommandReply.decode(payload) } catch { return }
        if (r.command !== 'model') return
        clearTimeout(timer)
        resolve(r)
      })
    })
    // subscribed before publishing: the reply cannot come before we listen
    await client.subscribeAsync(rigTopic(tenant, rig, 'cmd-reply'), { qos: 1 })
    await client.publishAsync(cmdTopic(tenant, rig, 'model'), Buffer.from(ModelCommand.encode({ version, url: values.url ?? '', sha256: values.sha256 ?? '' }).finish()), { qos: 1 })
    const r = await reply
    process.stdout.write(JSON.stringify({ ok: r.ok, activeVersion: r.activeVersion, detail: r.detail }) + '\n')
    if (!r.ok) process.exitCode = 1
  } finally {
    await client.endAsync()
  }
}
