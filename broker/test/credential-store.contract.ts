// The contract every CredentialStore must pass (CONVENTIONS point 8). Each implementation has a
// test file that calls credentialStoreContract with a factory for fresh, empty stores.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { type CredentialStore, type Principal, provisionDevice, provisionService, MIN_PASSWORD_LENGTH } from '../src/credentials.js'
import { RigstreamError } from '../../common/src/errors.js'

export interface StoreFixture { store: CredentialStore, close (): Promise<void> }

const PW_A = 'password-a-0123456789'
const PW_B = 'password-b-0123456789'
const rig1: Principal = { kind: 'device', tenant: 'acme', rig: 'rig-1' }

function isConfigError (err: unknown): boolean {
  return err instanceof RigstreamError && err.code === 'RS_ERR_CONFIG'
}

export function credentialStoreContract (name: string, make: () => Promise<StoreFixture>): void {
  describe(`CredentialStore contract: ${name}`, () => {
    let f: StoreFixture
    let store: CredentialStore
    before(async () => { f = await make(); store = f.store })
    after(async () => { await f.close() })

    it('verifies a device and a service with the right password', async () => {
      await store.put('acme/rig-1', rig1, PW_A)
      await store.put('svc:ingest', { kind: 'service', name: 'ingest' }, PW_B)
      assert.deepEqual(await store.verify('acme/rig-1', PW_A), rig1)
      assert.deepEqual(await store.verify('acme/rig-1', Buffer.from(PW_A)), rig1)
      assert.deepEqual(await store.verify('svc:ingest', PW_B), { kind: 'service', name: 'ingest' })
    })

    it('refuses a wrong password, another account\'s password, an empty one and an unknown user', async () => {
      await store.put('acme/rig-1', rig1, PW_A)
      await store.put('svc:ingest', { kind: 'service', name: 'ingest' }, PW_B)
      assert.equal(await store.verify('acme/rig-1', PW_A + 'x'), null)
      assert.equal(await store.verify('acme/rig-1', PW_B), null)
      assert.equal(await store.verify('acme/rig-1', ''), null)
      assert.equal(await store.verify('acme/rig-1', Buffer.alloc(0)), null)
      assert.equal(await store.verify('acme/rig-404', PW_A), null)
      assert.equal(await store.verify('svc:nobody', PW_B), null)
      assert.equal(await store.verify('', PW_A), null)
    })

    it('rotates: a second put replaces the password, even one verified (and cached) just before', async () => {
      await store.put('acme/rig-2', { kind: 'device', tenant: 'acme', rig: 'rig-2' }, PW_A)
      assert.notEqual(await store.verify('acme/rig-2', PW_A), null)
      await store.put('acme/rig-2', { kind: 'device', tenant: 'acme', rig: 'rig-2' }, PW_B)
      assert.equal(await store.verify('acme/rig-2', PW_A), null)
      assert.deepEqual(await store.verify('acme/rig-2', PW_B), { kind: 'device', tenant: 'acme', rig: 'rig-2' })
    })

    it('remove ends verification at once; removing an unknown user is fine', async () => {
      await store.put('acme/rig-3', { kind: 'device', tenant: 'acme', rig: 'rig-3' }, PW_A)
      assert.notEqual(await store.verify('acme/rig-3', PW_A), null)
      await store.remove('acme/rig-3')
      assert.equal(await store.verify('acme/rig-3', PW_A), null)
      await store.remove('acme/never-was')
    })

    it('refuses a username that does not match its principal, bad ids and short passwords', async () => {
      await assert.rejects(store.put('acme/rig-9', rig1, PW_A), isConfigError)
      await assert.rejects(store.put('svc:rig-1', rig1, PW_A), isConfigError)
      await assert.rejects(store.put('acme/rig 1', { kind: 'device', tenant: 'acme', rig: 'rig 1' }, PW_A), isConfigError)
      await assert.rejects(store.put('a+/b', { kind: 'device', tenant: 'a+', rig: 'b' }, PW_A), isConfigError)
      await assert.rejects(store.put('svc:', { kind: 'service', name: '' }, PW_A), isConfigError)
      await assert.rejects(store.put('acme/rig-1', rig1, 'x'.repeat(MIN_PASSWORD_LENGTH - 1)), isConfigError)
      // nothing of a refused put was stored
      assert.equal(await store.verify('acme/rig-9', PW_A), null)
    })

    it('returns a principal the caller cannot change inside the store', async () => {
      await store.put('acme/rig-4', { kind: 'device', tenant: 'acme', rig: 'rig-4' }, PW_A)
      const p = await store.verify('acme/rig-4', PW_A)
      assert.ok(p && p.kind === 'device')
      assert.throws(() => { (p as { rig: string }).rig = 'rig-5' })
      assert.deepEqual(await store.verify('acme/rig-4', PW_A), { kind: 'device', tenant: 'acme', rig: 'rig-4' })
    })

    it('provisions devices and services with fresh random passwords, shown once', async () => {
      const a = await provisionDevice(store, 'plant-7', 'press_02')
      const b = await provisionDevice(store, 'plant-7', 'press_03')
      const s = await provisionService(store, 'cloud-api')
      assert.equal(a.username, 'plant-7/press_02')
      assert.equal(s.username, 'svc:cloud-api')
      assert.match(a.password, /^[A-Za-z0-9_-]{32}$/)
      assert.notEqual(a.password, b.password)
      assert.deepEqual(await store.verify(a.username, a.password), { kind: 'device', tenant: 'plant-7', rig: 'press_02' })
      assert.deepEqual(await store.verify(s.username, s.password), { kind: 'service', name: 'cloud-api' })
      assert.equal(await store.verify(b.username, a.password), null)
      const again = await provisionDevice(store, 'plant-7', 'press_02')
      assert.equal(await store.verify(a.username, a.password), null, 'provisioning again rotates')
      assert.notEqual(await store.verify(a.username, again.password), null)
      await assert.rejects(provisionDevice(store, 'plant/7', 'x'), isConfigError)
      await assert.rejects(provisionService(store, 'svc:x'), isConfigError)
    })
  })
}
