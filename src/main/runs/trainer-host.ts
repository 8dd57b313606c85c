import { fork, type Serializable } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TrainerCommand, TrainerMessage } from '../../shared/trainer-protocol'
import { trainerEnvironmentOnce } from '../trainer/backend/trainer-environment'
import type { RunRecorder } from './run-recorder'

/** How the trainer process ended, in the terms both Node and Electron can report. */
export interface TrainerExit {
  code: number | null
  signal: string | null
  stderrTail: string
}

/** A child process of the workbench (trainer, face finder) as main sees it, whichever way it was started. */
export interface ChildLink<Command, Message> {
  send(command: Command): void
  onMessage(listener: (message: Message) => void): void
  onExit(listener: (exit: TrainerExit) => void): void
  kill(): void
}

/** One trainer process as main sees it. */
export type TrainerProcess = ChildLink<TrainerCommand, TrainerMessage>

export interface LaunchOptions {
  /** Keep the process's stderr to explain a crash, without echoing it (backend probes). */
  quiet?: boolean
}

export type TrainerLauncher = (options?: LaunchOptions) => TrainerProcess

/** A trainer process of this workbench and the recorder persisting what it says (the context keeps them by run id). */
export interface ActiveTrainer {
  process: TrainerProcess
  recorder: RunRecorder
  done: Promise<void>
}

const here = dirname(fileURLToPath(import.meta.url))

/** The trainer's entry: the TypeScript source (run through tsx) or, in a build, trainer.js beside this bundle. */
export function trainerEntry(): { file: string; typescript: boolean } {
  const source = join(here, '..', 'trainer', 'process', 'entry.ts')
  if (existsSync(source)) return { file: source, typescript: true }
  return { file: join(here, 'trainer.js'), typescript: false }
}

/** Starts a process entry with child_process.fork (TypeScript sources run through tsx). */
export function forkNodeProcess<Command extends Serializable, Message>(
  entry: { file: string; typescript: boolean },
  options: LaunchOptions & { env?: NodeJS.ProcessEnv } = {},
): ChildLink<Command, Message> {
  const child = fork(entry.file, [], {
    execArgv: entry.typescript ? ['--import', import.meta.resolve('tsx')] : [],
    env: options.env ?? process.env,
    // Typed arrays cross without JSON; stderr is kept to explain a crash in words.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  })
  let stderrTail = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    if (!options.quiet) process.stderr.write(chunk)
    stderrTail = (stderrTail + chunk.toString()).slice(-4000)
  })
  return {
    send: (command) => {
      if (child.connected) child.send(command)
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as Message)),
    onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal, stderrTail })),
    kill: () => child.kill('SIGKILL'),
  }
}

/** child_process.fork: for the CLI, the headless server and tests; CUDA 11 libraries found go on its library path. */
export const nodeTrainerLauncher: TrainerLauncher = (options = {}) =>
  forkNodeProcess(trainerEntry(), { ...options, env: trainerEnvironmentOnce() })

/** Turns an exit without a final message into words a researcher can act on. */
export function describeCrash(exit: TrainerExit): string {
  const oom = /heap out of memory|Allocation failed|ENOMEM|OOM/i.test(exit.stderrTail)
  if (oom) return 'The trainer ran out of memory. Try a smaller batch size or input size, or a smaller network.'
  if (exit.signal === 'SIGKILL')
    return 'The trainer process was killed (SIGKILL), possibly by the system for using too much memory, or by a user.'
  if (exit.signal) return `The trainer process was ended by signal ${exit.signal}.`
  const lastLine = exit.stderrTail.trim().split('\n').filter(Boolean).pop()
  return `The trainer process exited unexpectedly (code ${exit.code})${lastLine ? `: ${lastLine}` : ''}.`
}
