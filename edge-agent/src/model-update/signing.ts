// Ed25519 signatures of model packages. The signature covers the manifest (every field except
// `signature`, as canonical JSON: keys sorted, no whitespace) under a fixed context string; the
// manifest pins every other file of the package by sha256 (`model.sha256`, `selfTest.sha256`),
// so one signature covers the whole package.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { rsError } from '../../../common/src/errors.js'

const CONTEXT = 'rigstream-model-package-v1\n'

/** JSON with object keys sorted at every level and no whitespace: the bytes that are signed. */
export function canonicalJson (value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return '[' + value.map(v => v === undefined ? 'null' : canonicalJson(v)).join(',') + ']'
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj).filter(k => obj[k] !== undefined).sort()
  return '{' + keys.map(k => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}'
}

export function signedBytes (manifest: Record<string, unknown>): Buffer {
  const { signature: _signature, ...rest } = manifest
  return Buffer.from(CONTEXT + canonicalJson(rest), 'utf8')
}

export function signManifest (manifest: Record<string, unknown>, privateKey: KeyObject): string {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw rsError('RS_ERR_CONFIG', `the signing key must be an Ed25519 private key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`)
  return sign(null, signedBytes(manifest), privateKey).toString('base64')
}

/** Refuses (RS_ERR_MODEL_SIGNATURE) a manifest that is unsigned or whose signature does not verify. */
export function verifyManifest (manifest: Record<string, unknown>, publicKey: KeyObject): void {
  const sig = manifest.signature
  if (typeof sig !== 'string' || sig.length === 0) throw rsError('RS_ERR_MODEL_SIGNATURE', `package ${String(manifest.name)} ${String(manifest.version)} is not signed`)
  const bytes = Buffer.from(sig, 'base64')
  if (bytes.length !== 64 || !verify(null, signedBytes(manifest), publicKey, bytes)) {
    throw rsError('RS_ERR_MODEL_SIGNATURE', `package ${String(manifest.name)} ${String(manifest.version)} has a signature that does not verify against the configured public key`)
  }
}

export function readPrivateKey (file: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey(readFileSync(file))
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', `cannot read the private key ${file}: ${(err as Error).message}`, err)
  }
  if (key.asymmetricKeyType !== 'ed25519') throw rsError('RS_ERR_CONFIG', `${file} is a ${key.asymmetricKeyType ?? 'unknown'} key; model packages are signed with Ed25519`)
  return key
}

export function readPublicKey (file: string, what = 'model.publicKey'): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey(readFileSync(file))
  } catch (err) {
    throw rsError('RS_ERR_CONFIG', `${what}: cannot read the public key ${file}: ${(err as Error).message}`, err)
  }
  if (key.asymmetricKeyType !== 'ed25519') throw rsError('RS_ERR_CONFIG', `${what}: ${file} is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`)
  return key
}
