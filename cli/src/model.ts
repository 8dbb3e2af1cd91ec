// rigstream model <sub>: model tools from inference/.
export async function run (argv: string[]): Promise<void> {
  const [sub, ...rest] = argv
  if (sub === 'eval') {
    await (await import('../../inference/src/eval.js')).run(rest)
    return
  }
  process.stderr.write('usage: rigstream model eval --data <dir in the UCI layout> [--model <package dir>] [--backend node|web] [--json]\n')
  process.exitCode = 2
}
