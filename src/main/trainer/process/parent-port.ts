import type { TrainerCommand, TrainerMessage } from '../../../shared/trainer-protocol'

// The trainer talks to main through whichever channel started it: Electron's utilityProcess gives
// `process.parentPort` (messages arrive as events with the payload in `data`), Node's
// child_process.fork gives `process.send` / `process.on('message')`. The face finder process uses
// the same channel with its own command and message types.

export interface ParentPort<Command = TrainerCommand, Message = TrainerMessage> {
  kind: 'electron' | 'node'
  send(message: Message): void
  onCommand(handler: (command: Command) => void): void
  /** Called when the parent goes away (Node only: Electron kills its utility processes itself). */
  onDisconnect(handler: () => void): void
  /** Resolves once every message sent so far has been handed to the operating system. */
  flushed(): Promise<void>
}

interface ElectronParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
}

/** The channel to main, or null when this process was not started by main. */
export function connectToParent<Command = TrainerCommand, Message = TrainerMessage>(
  proc: NodeJS.Process = process,
): ParentPort<Command, Message> | null {
  const electron = (proc as NodeJS.Process & { parentPort?: ElectronParentPort }).parentPort
  if (electron) {
    return {
      kind: 'electron',
      send: (message) => electron.postMessage(message),
      onCommand: (handler) => electron.on('message', (event) => handler(event.data as Command)),
      onDisconnect: () => {},
      // postMessage hands the message over synchronously; give the port one turn to write it.
      flushed: () => new Promise((resolve) => setTimeout(resolve, 50)),
    }
  }
  if (typeof proc.send === 'function') {
    let pending = 0
    let waiters: (() => void)[] = []
    const settle = (): void => {
      if (pending > 0) return
      for (const w of waiters) w()
      waiters = []
    }
    return {
      kind: 'node',
      send: (message) => {
        if (!proc.connected) return
        pending++
        proc.send!(message, undefined, undefined, () => {
          pending--
          settle()
        })
      },
      onCommand: (handler) => proc.on('message', (message) => handler(message as Command)),
      onDisconnect: (handler) => proc.on('disconnect', handler),
      flushed: () =>
        new Promise<void>((resolve) => {
          waiters.push(resolve)
          settle()
        }),
    }
  }
  return null
}
