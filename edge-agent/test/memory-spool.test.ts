import { createMemorySpool } from '../src/spool/memory.js'
import { spoolContract } from './spool-contract.js'

spoolContract('memory spool', async bounds => createMemorySpool(bounds))
