import { withRetry } from '../../common/src/errors.js'
import type { Logger } from '../../common/src/logger.js'

/**
 * Runs `fn` until it succeeds: retriable errors through the one retry helper (capped exponential
 * backoff), anything else is logged as an error and tried again after the cap. Holding on is the
 * backpressure DESIGN.md asks for: acks wait, the broker and the agents keep the data. Rejects
 * only when `signal` aborts (ingest gave up draining at close).
 */
export async function retryUntilDone<T> (fn: () => Promise<T>, o: { signal: AbortSignal, log: Logger, what: string, maxMs?: number }): Promise<T> {
  const maxMs = o.maxMs ?? 5000
  for (let round = 0; ; round++) {
    if (o.signal.aborted) throw o.signal.reason
    try {
      return await withRetry(async attempt => {
        if (o.signal.aborted) throw o.signal.reason
        try {
          return await fn()
        } catch (err) {
          o.log.warn({ err, what: o.what, attempt, round }, 'write failed; retrying')
          throw err
        }
      }, { retries: 6, minMs: 50, maxMs, signal: o.signal })
    } catch (err) {
      if (o.signal.aborted) throw o.signal.reason
      o.log.error({ err, what: o.what, round }, 'write keeps failing; holding acknowledgements and retrying')
      await sleep(maxMs, o.signal)
    }
  }
}

function sleep (ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const t = setTimeout(done, ms)
    function done (): void { clearTimeout(t); signal.removeEventListener('abort', done); resolve() }
    signal.addEventListener('abort', done, { once: true })
  })
}
