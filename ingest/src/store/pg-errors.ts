import { rsError, RigstreamError } from '../../../common/src/errors.js'

// SQLSTATEs worth retrying: connection exceptions (08xxx), server shutting down or starting
// (57P01-57P03), insufficient resources (53xxx), and transaction conflicts (40001, 40P01).
const RETRIABLE_SQLSTATE = /^(08|53|57P0[123]|40001|40P01)/
const RETRIABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'])

/**
 * Maps an error from `pg` to RS_ERR_DB_UNAVAILABLE (retriable) when the database is down or the
 * transaction lost a conflict; anything else (a bug, a constraint) is returned as it is.
 */
export function classifyPgError (err: unknown): unknown {
  if (err instanceof RigstreamError) return err
  const e = err as { code?: unknown, message?: unknown }
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = typeof e?.message === 'string' ? e.message : String(err)
  // pg raises these without a code when the socket goes away under a query
  const lostConnection = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i.test(message)
  if (RETRIABLE_SQLSTATE.test(code) || RETRIABLE_NODE.has(code) || (code === '' && lostConnection)) {
    return rsError('RS_ERR_DB_UNAVAILABLE', `${code || 'connection'}: ${message}`, err)
  }
  return err
}

/** A PostgreSQL data exception (SQLSTATE class 22: a NUL byte in text, a number out of range), as `pg` raises it. */
export function isPgDataError (err: unknown): boolean {
  const e = err as { code?: unknown, severity?: unknown }
  return typeof e?.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string'
}
