// Per-rig frame seq that is strictly increasing across agent restarts, crashes and power loss.
//
// Persistence policy: seqs are reserved in blocks. The file holds `next`, a seq no frame has used
// yet; before a frame takes a seq >= the persisted `next`, a new `next` (seq + block) is written
// durably (temp file, fsync, rename, fsync of the folder). So there is one fsync per `block`
// frames, not per frame, and after a crash the agent resumes at the persisted `next`: seqs stay
// strictly increasing, at the cost of a gap of at most `block` unused seqs. A graceful close
// writes the exact next seq, so a clean restart leaves no gap.
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { rsError } from '../../common/src/errors.js'

export const SEQ_FILE = 'seq.json'
export const DEFAULT_SEQ_BLOCK = 1000

interface SeqFile { version: 1, next: number }

export class SeqStore {
  private lastUsed: number
  private persistedNext: number
  private closed = false

  private constructor (readonly dir: string, private readonly block: number, next: number) {
    this.lastUsed = next - 1
    this.persistedNext = next
  }

  /** Opens (creating) the seq file in `dir`. The first seq of a new rig is 1. */
  static async open (dir: string, opts: { block?: number } = {}): Promise<SeqStore> {
    const block = opts.block ?? DEFAULT_SEQ_BLOCK
    if (!Number.isInteger(block) || block < 1) throw rsError('RS_ERR_CONFIG', `seq block must be a positive integer, got ${block}`)
    try {
      await mkdir(dir, { recursive: true })
    } catch (err) {
      throw rsError('RS_ERR_AGENT_STATE', `cannot create the state folder ${dir}: ${(err as Error).message}`, err)
    }
    return new SeqStore(dir, block, await readNext(join(dir, SEQ_FILE)))
  }

  /** The last seq handed out (0 when none yet). */
  last (): number {
    return this.lastUsed
  }

  /** The next seq; persists a new reservation first when the current one is used up. */
  async next (): Promise<number> {
    if (this.closed) throw new Error('SeqStore is closed')
    const seq = this.lastUsed + 1
    if (seq >= this.persistedNext) {
      const reserved = seq + this.block
      await writeDurably(this.dir, { version: 1, next: reserved })
      this.persistedNext = reserved
    }
    this.lastUsed = seq
    return seq
  }

  /** Writes the exact next seq (no gap on a clean restart). Call only when no more seqs are taken. */
  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    const next = this.lastUsed + 1
    if (next !== this.persistedNext) await writeDurably(this.dir, { version: 1, next })
  }
}

async function readNext (file: string): Promise<number> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 1
    throw rsError('RS_ERR_AGENT_STATE', `cannot read ${file}`, err)
  }
  let parsed: Partial<SeqFile>
  try {
    parsed = JSON.parse(text) as Partial<SeqFile>
  } catch (err) {
    throw rsError('RS_ERR_AGENT_STATE', `${file} is not JSON; refusing to guess the next seq (restore it, or set a larger next by hand)`, err)
  }
  if (parsed.version !== 1 || !Number.isSafeInteger(parsed.next) || (parsed.next as number) < 1) {
    throw rsError('RS_ERR_AGENT_STATE', `${file} must be {"version":1,"next":<integer >= 1>}, got ${text.slice(0, 100)}`)
  }
  return parsed.next as number
}

/** temp file + fsync + rename + fsync(dir): the file is either the old or the new content, never torn */
async function writeDurably (dir: string, content: SeqFile): Promise<void> {
  try {
    await writeReplace(dir, content)
  } catch (err) {
    throw rsError('RS_ERR_AGENT_STATE', `cannot write ${join(dir, SEQ_FILE)}: ${(err as Error).message}`, err)
  }
}

async function writeReplace (dir: string, content: SeqFile): Promise<void> {
  const file = join(dir, SEQ_FILE)
  const tmp = `${file}.tmp`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(JSON.stringify(content) + '\n')
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, file)
  const d = await open(dir, 'r')
  try {
    await d.sync()
  } finally {
    await d.close()
  }
}
