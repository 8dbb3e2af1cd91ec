// Runs `rigstream agent` in a child process for the crash tests: node agent-child.js <agent flags>.
import { run } from '../src/cli.js'

await run(process.argv.slice(2))
