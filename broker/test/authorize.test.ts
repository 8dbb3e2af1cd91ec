import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { authorizePublish, authorizeSubscribe, publishRefusal, subscribeRefusal, mayReceive } from '../src/authorize.js'
import type { Principal } from '../src/principal.js'

const device: Principal = { kind: 'device', tenant: 'acme', rig: 'rig-1' }
const service: Principal = { kind: 'service', name: 'ingest' }

describe('authorizePublish', () => {
  it('lets a device publish to its own five kinds', () => {
    for (const kind of ['frames', 'state', 'predictions', 'alerts', 'cmd-reply']) {
      assert.equal(authorizePublish(device, `rs/v1/acme/rig-1/${kind}`), true, kind)
    }
  })

  it('refuses a device other rigs, other tenants, other kinds, extra levels, wildcards and $SYS', () => {
    const refused = [
      'rs/v1/acme/rig-2/frames', // other rig
      'rs/v1/other/rig-1/frames', // other tenant, same rig id
      'rs/v1/acme/rig-1/cmd/model', // commands go to the device, not from it
      'rs/v1/acme/rig-1/cmd',
      'rs/v1/acme/rig-1/telemetry', // unknown kind
      'rs/v1/acme/rig-1/frames/extra', // extra level
      'rs/v1/acme/rig-1/frames/', // empty extra level
      'rs/v1/acme/rig-1', // too short
      'rs/v1/acme/rig-1/', // empty kind
      'rs/v1/+/+/frames', // wildcards are never a topic name [MQTT-3.3.2-2]
      'rs/v1/acme/rig-1/#',
      'rs/v2/acme/rig-1/frames', // other root version
      '/rs/v1/acme/rig-1/frames', // leading separator is another topic
      'RS/v1/acme/rig-1/frames', // topics are case-sensitive
      'rs/v1/acme/RIG-1/frames',
      '$SYS/broker/load',
      'spBv1.0/acme/DDATA/rig-1',
      'rs/v1/acme/rig-1/frames\u0000',
      ''
    ]
    for (const topic of refused) assert.equal(authorizePublish(device, topic), false, JSON.stringify(topic))
  })

  it('gives the reason of a refusal', () => {
    assert.equal(publishRefusal(device, 'rs/v1/other/rig-1/frames'), 'topic belongs to another tenant')
    assert.equal(publishRefusal(device, 'rs/v1/acme/rig-2/frames'), 'topic belongs to another rig')
    assert.equal(publishRefusal(device, '$SYS/x'), 'topic is not under rs/v1/')
    assert.equal(publishRefusal(device, 'rs/v1/acme/rig-1/frames'), null)
  })

  it('lets a service publish commands, predictions and alerts for any rig, and nothing else', () => {
    for (const topic of ['rs/v1/acme/rig-1/cmd/model-update', 'rs/v1/other/x/cmd/config/set', 'rs/v1/acme/rig-1/predictions', 'rs/v1/acme/rig-2/alerts']) {
      assert.equal(authorizePublish(service, topic), true, topic)
    }
    const refused = [
      'rs/v1/acme/rig-1/frames', // services do not forge telemetry
      'rs/v1/acme/rig-1/state',
      'rs/v1/acme/rig-1/cmd-reply',
      'rs/v1/acme/rig-1/cmd', // a command needs a name
      'rs/v1/acme/rig-1/cmd/',
      'rs/v1/acme/rig-1/cmd//x',
      'rs/v1/+/rig-1/cmd/x',
      'rs/v1/acme/rig 1/cmd/x', // not a valid id
      'rs/v1/acme/rig-1/predictions/x',
      'rs/v1/acme',
      '$SYS/x',
      'other/topic'
    ]
    for (const topic of refused) assert.equal(authorizePublish(service, topic), false, topic)
  })
})

describe('authorizeSubscribe', () => {
  it('lets a device subscribe to its own cmd/# and filters inside it', () => {
    for (const f of ['rs/v1/acme/rig-1/cmd/#', 'rs/v1/acme/rig-1/cmd/+', 'rs/v1/acme/rig-1/cmd/model-update', 'rs/v1/acme/rig-1/cmd/+/x', 'rs/v1/acme/rig-1/cmd']) {
      assert.equal(authorizeSubscribe(device, f), true, f)
    }
  })

  it('refuses a device everything outside its own cmd/#', () => {
    const refused = [
      '#', '+', '+/#', '$SYS/#', '$SYS/+/heartbeat',
      'rs/#', 'rs/v1/#', 'rs/v1/+/+/frames', 'rs/v1/acme/#', 'rs/v1/acme/+/cmd/#',
      'rs/v1/+/rig-1/cmd/#', // other tenants' rig-1
      'rs/v1/acme/rig-1/#', // wider than cmd/#
      'rs/v1/acme/rig-1/+', 'rs/v1/acme/rig-1/+/model',
      'rs/v1/acme/rig-1/frames', 'rs/v1/acme/rig-1/cmd-reply',
      'rs/v1/acme/rig-2/cmd/#', 'rs/v1/other/rig-1/cmd/#',
      'rs/v1/acme/rig-1/cmd/#/x', // malformed: # not last
      'rs/v1/acme/rig-1/cmd/a#', 'rs/v1/acme/rig-1/cmd/a+', // malformed: wildcard inside a level
      ''
    ]
    for (const f of refused) assert.equal(authorizeSubscribe(device, f), false, JSON.stringify(f))
    assert.equal(subscribeRefusal(device, 'rs/v1/acme/rig-2/cmd/#'), 'filter reaches another rig')
    assert.equal(subscribeRefusal(device, 'rs/v1/other/rig-1/cmd/#'), 'filter reaches another tenant')
    assert.equal(subscribeRefusal(device, 'rs/v1/acme/rig-1/cmd/#/x'), 'malformed topic filter')
  })

  it('lets a service subscribe to anything under rs/v1/ and nothing else', () => {
    for (const f of ['rs/v1/#', 'rs/v1/+/+/frames', 'rs/v1/acme/+/state', 'rs/v1/acme/rig-1/cmd-reply', 'rs/v1/+/#']) {
      assert.equal(authorizeSubscribe(service, f), true, f)
    }
    for (const f of ['#', '+/#', '+/v1/#', 'rs/+/#', 'rs/#', 'rs/v1', 'rs', '$SYS/#', 'rs/v1/#/x', 'rs/v1/a+']) {
      assert.equal(authorizeSubscribe(service, f), false, f)
    }
  })
})

describe('mayReceive', () => {
  it('delivers to a device only its own commands, to a service anything under rs/v1/', () => {
    assert.equal(mayReceive(device, 'rs/v1/acme/rig-1/cmd/model-update'), true)
    assert.equal(mayReceive(device, 'rs/v1/acme/rig-1/frames'), false)
    assert.equal(mayReceive(device, 'rs/v1/acme/rig-10/cmd/x'), false)
    assert.equal(mayReceive(device, 'rs/v1/acme/rig-2/cmd/x'), false)
    assert.equal(mayReceive(service, 'rs/v1/acme/rig-2/frames'), true)
    assert.equal(mayReceive(service, '$SYS/x/new/clients'), false)
  })
})
