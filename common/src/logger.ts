import { pino, type Logger, type LoggerOptions } from 'pino'

export type { Logger }

/**
 * The one pino root of a process. Components take `root.child({ component })` once;
 * connections take `child({ rig })` once per session, never per message.
 */
export function createRootLogger (opts: LoggerOptions = {}): Logger {
  return pino({
    level: process.env.RS_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    base: { pid: process.pid },
    redact: { paths: ['password', '*.password', 'secret', '*.secret', 'token', '*.token', 'req.headers.authorization'], censor: '[redacted]' },
    ...opts
  })
}
