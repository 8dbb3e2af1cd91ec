// Per-rig frame seq that is strictly increasing across agent restarts, crashes and power loss.
//
// Persistence policy: seqs are reserved in blocks. The file holds `next`, a seq no frame has used
// yet; before a frame takes a seq >= the persisted `next`, a new `next` (seq + block) is written
// durably (temp file, fsync, rename, fsync of the folder). So there is one fsync per `block`
// frames, not per frame, and after a crash the agent resumes at the persisted `next`: seqs stay
// strictly increasing, at the cost of a gap of at most `block` unused seqs. A graceful close
// writes the exact next seq, so a clean restart leaves no gap.
//
// No gap after a crash either, with a synced disk spool: when every frame is fsynced to the
// spool before it is published (`log.syncedAppends`), no seq above the spool's lastSeq() can have
// left the agent, so the next run resumes right after it. The file then carries `resumeFrom`,
// the first seq of the current run of such logged runs: a run without a synced spool removes it
// at open (its seqs are in no log), and a later logged run starts at the reservation again and
// never resumes below its own first seq.
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { rsError } from '../../common/src/errors.js'

export const SEQ_FILE = 'seq.json'
export const DEFAULT_SEQ_BLOCK = 1000

interface SeqFile { version: 1, next: number, resumeFrom?: number }

/** the durable log of used seqs (the disk spool), see the top of this file */
export interface SeqLog { lastSeq (): number, readonly syncedAppends: boolean, readonly lastSeqCertain?: boolean }

export class SeqStore {
  private lastUsed: number
  private persistedNext: number
  private closed = false
  /** logDistrusted: open() had a synced log but did not resume after it (the log held none of the
   * current run's frames, or found damage), so it resumed at the reservation: a gap */
  private constructor (readonly dir: string, private readonly block: number, next: number, private readonly resumeFrom: number | undefined, readonly logDistrusted = false) {
    this.lastUsed = next - 1
    this.persistedNext = next
  }

  /**
   * Opens (creating) the seq file in `dir`. The first seq of a new rig is 1. With `log` (a synced
   * disk spool), resumes after the log's last seq instead of after the reservation (no gap).
   */
  static async open (dir: string, opts: { block?: number, log?: SeqLog } = {}): Promise<SeqStore> {
    const block = opts.block ?? DEFAULT_SEQ_BLOCK
    if (!Number.isInteger(block) || block < 1) throw rsError('RS_ERR_CONFIG', `seq block must be a positive integer, got ${block}`)
    try {
      await mkdir(dir, { recursive: true })
    } catch (err) {
      throw rsError('RS_ERR_AGENT_STATE', `cannot create the state folder ${dir}: ${(err as Error).message}`, err)
    }
    const file = await readSeqFile(join(dir, SEQ_FILE))
    const logged = opts.log?.syncedAppends === true
    if (!logged) {
      if (file.resumeFrom !== undefined) await writeDurably(dir, { version: 1, next: file.next })
      return new SeqStore(dir, block, file.next, undefined)
    }
    if (file.resumeFrom === undefined) {
      await writeDurably(dir, { version: 1, next: file.next, resumeFrom: file.next })
      return new SeqStore(dir, block, file.next, file.next)
    }
    // resume right after the log only when the log holds this run's frames: a log whose last seq
    // is below the run's first (a spool folder deleted or replaced) or that found damage would
    // hand out seqs that were used and published already, and ingest would drop those frames as
    // duplicates; the reservation is safe, at the cost of a gap
    const last = opts.log!.lastSeq()
    const trusted = opts.log!.lastSeqCertain !== false && last >= file.resumeFrom
    const start = trusted ? last + 1 : file.next
    const store = new SeqStore(dir, block, start, file.resumeFrom, !trusted)
    store.persistedNext = file.next
    return store
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
      await writeDurably(this.dir, this.content(reserved))
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
    if (next !== this.persistedNext) await writeDurably(this.dir, this.content(next))
  }

  private content (next: number): SeqFile {
    return this.resumeFrom === undefined ? { version: 1, next } : { version: 1, next, resumeFrom: this.resumeFrom }
  }
}

async function readSeqFile (file: string): Promise<SeqFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, next: 1 }
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
  const r = parsed.resumeFrom
  if (r !== undefined && (!Number.isSafeInteger(r) || r < 1 || r > (parsed.next as number))) {
    throw rsError('RS_ERR_AGENT_STATE', `${file}: resumeFrom must be an integer in [1, next], got ${text.slice(0, 100)}`)
  }
  return r === undefined ? { version: 1, next: parsed.next as number } : { version: 1, next: parsed.next as number, resumeFrom: r }
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
