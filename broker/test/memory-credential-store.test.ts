import { MemoryCredentialStore } from '../src/credentials.js'
import { credentialStoreContract } from './credential-store.contract.js'

credentialStoreContract('MemoryCredentialStore', async () => ({ store: new MemoryCredentialStore(), close: async () => {} }))
credentialStoreContract('MemoryCredentialStore without cache', async () => ({ store: new MemoryCredentialStore({ cache: { ttlMs: 0 } }), close: async () => {} }))
