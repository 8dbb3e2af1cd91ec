// Downloading a model package over HTTP(S) into a directory, verifying as it goes: the manifest's
// own sha256 (when the command names one), the manifest's Ed25519 signature, then every file the
// manifest pins by sha256. Nothing is trusted before its check; the caller renames the directory
// into place only when this resolves.
import { createHash, type KeyObject } from 'node:crypto'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { rsError, withRetry } from '../../../common/src/errors.js'
import { MANIFEST_FILE } from '../../../inference/src/package.js'
import { verifyManifest } from './signing.js'
import { SELF_TEST_FILE } from './self-test.js'

export interface DownloadOptions {
  /** package base URL; files are fetched at base + file name */
  url: string
  /** version the command asked for; the manifest must carry the same */
  version: string
  /** sha256 (hex) of manifest.json as the command names it; empty = not checked */
  manifestSha256?: string
  publicKey: KeyObject
  /** the model line the agent runs: a package of another name or rig profile is refused, signed or not */
  expect?: { name: string, profile: string }
  /** largest file accepted; default 64 MiB */
  maxBytes?: number
  /** per request; default 30 s */
  timeoutMs?: number
  signal?: AbortSignal
}

export interface PackageFiles {
  manifest: Record<string, unknown> & { name: string, version: string, model: { file: string, sha256: string }, selfTest?: { file: string, sha256: string } }
  files: string[]
}

const FILE_NAME = /^[\w][\w.-]*$/

export async function downloadPackage (dest: string, o: DownloadOptions): Promise<PackageFiles> {
  const base = o.url.endsWith('/') ? o.url : o.url + '/'
  const maxBytes = o.maxBytes ?? 64 * 1024 * 1024
  const get = (file: string): Promise<Buffer> => withRetry(() => fetchBytes(new URL(file, base), maxBytes, o.timeoutMs ?? 30_000, o.signal), { retries: 2, minMs: 200, signal: o.signal })

  const manifestBytes = await get(MANIFEST_FILE)
  if (o.manifestSha256) {
    const actual = sha256(manifestBytes)
    if (actual !== o.manifestSha256.toLowerCase()) throw rsError('RS_ERR_MODEL_HASH', `${MANIFEST_FILE} has sha256 ${actual}, the command says ${o.manifestSha256}`)
  }
  let manifest: PackageFiles['manifest']
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as PackageFiles['manifest']
  } catch (err) {
    throw rsError('RS_ERR_MODEL_LOAD', `${MANIFEST_FILE} at ${base} is not JSON`, err)
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw rsError('RS_ERR_MODEL_LOAD', `${MANIFEST_FILE} at ${base} is not an object`)
  verifyManifest(manifest, o.publicKey)
  if (manifest.version !== o.version) throw rsError('RS_ERR_MODEL_COMMAND', `the package at ${base} is version ${String(manifest.version)}, the command asked for ${o.version}`)
  if (o.expect && (manifest.name !== o.expect.name || manifest.profile !== o.expect.profile)) {
    // one signing key may sign every model line of a fleet: a command pointed at another line's
    // package (a mistake, or a replay) must not install a model built for other hardware
    throw rsError('RS_ERR_MODEL_COMMAND', `the package at ${base} is ${String(manifest.name)} for rig profile ${String(manifest.profile)}; this agent runs ${o.expect.name} for ${o.expect.profile}: refused`)
  }

  const pinned: Array<{ file: string, sha256: string }> = [manifest.model]
  if (manifest.selfTest !== undefined) pinned.push(manifest.selfTest)
  else throw rsError('RS_ERR_MODEL_SELFTEST', `package ${manifest.name} ${manifest.version} has no self-test (${SELF_TEST_FILE}); sign it with rigstream model sign`)
  for (const p of pinned) {
    if (typeof p?.file !== 'string' || !FILE_NAME.test(p.file) || p.file === MANIFEST_FILE) throw rsError('RS_ERR_MODEL_LOAD', `${MANIFEST_FILE} names a file that is not a plain file name: ${JSON.stringify(p?.file)}`)
    const bytes = await get(p.file)
    const actual = sha256(bytes)
    if (actual !== p.sha256) throw rsError('RS_ERR_MODEL_HASH', `${p.file} has sha256 ${actual}, the signed manifest says ${String(p.sha256)}`)
    await writeDurably(join(dest, p.file), bytes)
  }
  await writeDurably(join(dest, MANIFEST_FILE), manifestBytes)
  return { manifest, files: [MANIFEST_FILE, ...pinned.map(p => p.file)] }
}

export function sha256 (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

async function fetchBytes (url: URL, maxBytes: number, timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw rsError('RS_ERR_MODEL_COMMAND', `model packages are fetched over http(s), not ${url.protocol}`)
  const timeout = AbortSignal.timeout(timeoutMs)
  let res: Response
  try {
    res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow' })
  } catch (err) {
    throw rsError('RS_ERR_MODEL_DOWNLOAD', `GET ${url.href}: ${(err as Error).message}`, err)
  }
  if (!res.ok) {
    await res.body?.cancel()
    // 4xx will not get better on a retry; 5xx may
    const e = rsError(res.status >= 500 ? 'RS_ERR_MODEL_DOWNLOAD' : 'RS_ERR_MODEL_COMMAND', `GET ${url.href}: HTTP ${res.status}`)
    throw e
  }
  const declared = Number(res.headers.get('content-length') ?? '0')
  if (declared > maxBytes) {
    await res.body?.cancel()
    throw rsError('RS_ERR_MODEL_LOAD', `GET ${url.href}: ${declared} bytes is more than the ${maxBytes} allowed`)
  }
  const chunks: Buffer[] = []
  let n = 0
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      n += chunk.byteLength
      if (n > maxBytes) throw rsError('RS_ERR_MODEL_LOAD', `GET ${url.href}: more than the ${maxBytes} bytes allowed`)
      chunks.push(Buffer.from(chunk))
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'RS_ERR_MODEL_LOAD') throw err
    throw rsError('RS_ERR_MODEL_DOWNLOAD', `GET ${url.href}: ${(err as Error).message}`, err)
  }
  return Buffer.concat(chunks)
}

export async function writeDurably (file: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(file, 'w')
  try {
    await fh.writeFile(bytes)
    await fh.sync()
  } finally {
    await fh.close()
  }
}
