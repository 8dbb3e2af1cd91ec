import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../common/src/net.js'
import { connect } from 'node:net'

export interface Mosquitto { port: number, url: string, stop (): Promise<void>, proc: ChildProcess }

/**
 * Starts a real Mosquitto 2 broker on a free port, anonymous, with queues sized so QoS 1
 * messages to slow subscribers are held, not dropped (Mosquitto's defaults drop them).
 */
export async function startMosquitto (extraConf = ''): Promise<Mosquitto> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'rs-mosq-'))
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'max_inflight_messages 1000',
    'max_queued_messages 1000000',
    'max_queued_bytes 0',
    'message_size_limit 0',
    'log_dest stderr',
    'log_type error',
    extraConf
  ].join('\n') + '\n')
  const bin = process.env.MOSQUITTO_BIN ?? (await which('mosquitto'))
  const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr?.on('data', d => { stderr += String(d) })
  const deadline = Date.now() + 10_000
  while (!(await canConnect(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start: ${stderr}`)
    await new Promise(r => setTimeout(r, 50))
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    proc,
    stop: () => new Promise<void>(resolve => {
      if (proc.exitCode !== null) return resolve()
      proc.once('exit', () => resolve())
      proc.kill('SIGTERM')
    })
  }
}

function canConnect (port: number): Promise<boolean> {
  return new Promise(resolve => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => { s.destroy(); resolve(true) })
    s.once('error', () => resolve(false))
  })
}

async function which (name: string): Promise<string> {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    try { await import('node:fs').then(fs => fs.promises.access(join(dir, name))); return join(dir, name) } catch {}
  }
  return name
}

export interface RestartableMosquitto {
  port: number
  url: string
  /** persistence folder (mosquitto.db): QoS 1 queues of persistent sessions survive a restart */
  dir: string
  running (): boolean
  /** starts it again on the same port with the same persistence file */
  start (): Promise<void>
  /** SIGTERM: Mosquitto writes its persistence file and exits */
  stop (): Promise<void>
}

/**
 * A Mosquitto 2 broker that can be stopped and started again on one fixed port, with persistence
 * on (for fault tests: the broker stopped for a while, queued QoS 1 messages kept).
 */
export async function restartableMosquitto (): Promise<RestartableMosquitto> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'rs-mosq-p-'))
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    'autosave_interval 30',
    'max_inflight_messages 1000',
    'max_queued_messages 1000000',
    'max_queued_bytes 0',
    'message_size_limit 0',
    'log_dest stderr',
    'log_type error'
  ].join('\n') + '\n')
  const bin = process.env.MOSQUITTO_BIN ?? (await which('mosquitto'))
  let proc: ChildProcess | undefined
  const self: RestartableMosquitto = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    running: () => proc !== undefined && proc.exitCode === null && proc.signalCode === null,
    async start () {
      if (self.running()) return
      const p = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
      proc = p
      let stderr = ''
      p.stderr?.on('data', d => { stderr += String(d) })
      const deadline = Date.now() + 15_000
      while (!(await canConnect(port))) {
        if (p.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start on port ${port}: ${stderr}`)
        await new Promise(r => setTimeout(r, 50))
      }
    },
    stop: () => new Promise<void>(resolve => {
      const p = proc
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve()
      p.once('exit', () => resolve())
      p.kill('SIGTERM')
    })
  }
  await self.start()
  return self
}
