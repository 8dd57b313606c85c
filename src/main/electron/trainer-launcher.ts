import { utilityProcess } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FaceFinderLauncher } from '../faces/find-faces'
import { trainerEnvironmentOnce } from '../trainer/backend/trainer-environment'
import type { ChildLink, LaunchOptions, TrainerLauncher } from '../runs/trainer-host'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * In the desktop app the workbench's processes (out/main/trainer.js, face-finder.js) are Electron
 * utility processes: a crash of the GPU driver or an out-of-memory kill takes one down, not the app.
 */
function forkUtilityProcess<Command, Message>(
  file: string,
  serviceName: string,
  options: LaunchOptions & { env?: NodeJS.ProcessEnv } = {},
): ChildLink<Command, Message> {
  const child = utilityProcess.fork(join(here, file), [], {
    serviceName,
    stdio: ['ignore', 'inherit', 'pipe'],
    env: options.env ?? process.env,
  })
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!options.quiet) process.stderr.write(chunk)
    stderrTail = (stderrTail + chunk.toString()).slice(-4000)
  })
  return {
    send: (command: Command) => child.postMessage(command),
    onMessage: (listener) => child.on('message', (message: Message) => listener(message)),
    // utilityProcess reports a code only; a killed or crashed process exits non-zero.
    onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null, stderrTail })),
    kill: () => void child.kill(),
  }
}

/** The trainer (and the backend probes: the same file, so the same binding loads under Electron's runtime). */
export const electronTrainerLauncher: TrainerLauncher = (options = {}) =>
  forkUtilityProcess('trainer.js', 'Affect Workbench trainer', { ...options, env: trainerEnvironmentOnce() })

export const electronFaceFinderLauncher: FaceFinderLauncher = () =>
  forkUtilityProcess('face-finder.js', 'Affect Workbench face finder')
