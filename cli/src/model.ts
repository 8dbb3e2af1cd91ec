// rigstream model <sub>: model tools (eval from inference/, sign and keygen from edge-agent/src/model-update/).
export async function run (argv: string[]): Promise<void> {
  const [sub, ...rest] = argv
  if (sub === 'eval') {
    await (await import('../../inference/src/eval.js')).run(rest)
    return
  }
  if (sub === 'sign') {
    await (await import('../../edge-agent/src/model-update/cli.js')).runSign(rest)
    return
  }
  if (sub === 'deploy') {
    await (await import('../../edge-agent/src/model-update/cli.js')).runDeploy(rest)
    return
  }
  if (sub === 'keygen') {
    await (await import('../../edge-agent/src/model-update/cli.js')).runKeygen(rest)
    return
  }
  process.stderr.write('usage: rigstream model eval --data <dir in the UCI layout> [--model <package dir>] [--backend node|web] [--json]\n' +
    '       rigstream model sign --key <private.pem> <package dir>\n' +
    '       rigstream model keygen --out <prefix>\n' +
    '       rigstream model deploy --broker <url> --tenant <t> --rig <r> --version <v> [--url <u>] [--sha256 <h>]\n')
  process.exitCode = 2
}
