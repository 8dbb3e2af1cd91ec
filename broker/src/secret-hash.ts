// Password hashing for MQTT credentials: scrypt with a per-secret random salt; the encoded form
// carries its parameters, so they can be raised later without invalidating stored hashes.
import { scrypt, randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const ALGO = 'scrypt'
// N=2^14, r=8, p=1: 16 MiB and tens of milliseconds per hash - slow on purpose (the verify cache
// in verify-cache.ts keeps reconnect storms from paying this again and again).
const DEFAULTS = { N: 16384, r: 8, p: 1 } as const
const SALT_BYTES = 16
const KEY_BYTES = 32
// Bounds for parameters read back from storage: a tampered row must not make us allocate gigabytes.
const MAX_N = 2 ** 20
const MAX_R = 32
const MAX_P = 16

function scryptAsync (secret: Buffer, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keylen, opts, (err, key) => { if (err) reject(err); else resolve(key) })
  })
}

function maxmem (N: number, r: number): number {
  return 128 * N * r + 1024 * 1024
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashSecret (secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const { N, r, p } = DEFAULTS
  const key = await scryptAsync(Buffer.from(secret, 'utf8'), salt, KEY_BYTES, { N, r, p, maxmem: maxmem(N, r) })
  return [ALGO, N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

interface Parsed { N: number, r: number, p: number, salt: Buffer, key: Buffer }

function parse (encoded: string): Parsed | null {
  const parts = encoded.split('$')
  if (parts.length !== 6 || parts[0] !== ALGO) return null
  const [N, r, p] = parts.slice(1, 4).map(Number)
  const salt = Buffer.from(parts[4], 'base64url')
  const key = Buffer.from(parts[5], 'base64url')
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0
  if (!powerOfTwo || N > MAX_N) return null
  if (!Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P) return null
  if (salt.length < 8 || key.length < 16) return null
  return { N, r, p, salt, key }
}

/** True when `secret` matches `encoded`; the comparison is constant-time. A malformed hash never matches. */
export async function verifySecret (secret: Buffer | string, encoded: string): Promise<boolean> {
  const h = parse(encoded)
  if (!h) return false
  const input = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret
  const key = await scryptAsync(input, h.salt, h.key.length, { N: h.N, r: h.r, p: h.p, maxmem: maxmem(h.N, h.r) })
  return timingSafeEqual(key, h.key)
}

let dummy: Promise<string> | undefined

/**
 * Spends the same work as a real verification and returns false. Used for unknown usernames so
 * that the time of a refusal does not tell whether the username exists.
 */
export async function verifyAgainstDummy (secret: Buffer | string): Promise<false> {
  dummy ??= hashSecret(randomBytes(16).toString('hex'))
  await verifySecret(secret, await dummy)
  return false
}
