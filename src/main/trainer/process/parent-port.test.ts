import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { TrainerCommand } from '../../../shared/trainer-protocol'
import { connectToParent } from './parent-port'

// The same trainer runs under Electron's utilityProcess (process.parentPort, payload in event.data)
// and Node's child_process.fork (process.send / 'message').

describe('channel to main', () => {
  it("uses Electron's parentPort when there is one", async () => {
    const port = Object.assign(new EventEmitter(), {
      posted: [] as unknown[],
      postMessage(m: unknown) {
        this.posted.push(m)
      },
    })
    const proc = Object.assign(new EventEmitter(), { parentPort: port, send: () => true }) as unknown as NodeJS.Process
    const parent = connectToParent(proc)!
    expect(parent.kind).toBe('electron')
    const received: TrainerCommand[] = []
    parent.onCommand((c) => received.push(c))
    port.emit('message', { data: { type: 'stop' } })
    expect(received).toEqual([{ type: 'stop' }])
    parent.send({ type: 'log', level: 'info', message: 'hello' })
    expect(port.posted).toEqual([{ type: 'log', level: 'info', message: 'hello' }])
    await parent.flushed()
  })

  it('uses process.send under child_process.fork, and waits for sends to complete', async () => {
    const callbacks: (() => void)[] = []
    const sent: unknown[] = []
    const send = (m: unknown, _h: unknown, _o: unknown, cb: () => void): boolean => {
      sent.push(m)
      callbacks.push(cb)
      return true
    }
    const emitter = Object.assign(new EventEmitter(), { connected: true, send })
    const parent = connectToParent(emitter as unknown as NodeJS.Process)!
    expect(parent.kind).toBe('node')
    const received: TrainerCommand[] = []
    parent.onCommand((c) => received.push(c))
    emitter.emit('message', { type: 'stop' })
    expect(received).toEqual([{ type: 'stop' }])
    parent.send({ type: 'log', level: 'info', message: 'a' })
    let flushed = false
    const done = parent.flushed().then(() => (flushed = true))
    await Promise.resolve()
    expect(flushed).toBe(false)
    callbacks[0]()
    await done
    expect(flushed).toBe(true)
    expect(sent).toHaveLength(1)
  })

  it('is absent when the process was not started by main', () => {
    expect(connectToParent(new EventEmitter() as unknown as NodeJS.Process)).toBeNull()
  })
})
