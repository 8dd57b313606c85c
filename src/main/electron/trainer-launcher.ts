import { utilityProcess } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FaceFinderLauncher } from '../faces/find-faces'
import type { ChildLink, TrainerLauncher } from '../runs/trainer-host'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * In the desktop app the workbench's processes (out/main/trainer.js, face-finder.js) are Electron
 * utility processes: a crash of the GPU driver or an out-of-memory kill takes one down, not the app.
 */
function forkUtilityProcess<Command, Message>(file: string, serviceName: string): ChildLink<Command, Message> {
  const child = utilityProcess.fork(join(here, file), [], { serviceName, stdio: ['ignore', 'inherit', 'pipe'] })
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
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

export const electronTrainerLauncher: TrainerLauncher = () => forkUtilityProcess('trainer.js', 'Affect Workbench trainer')

export const electronFaceFinderLauncher: FaceFinderLauncher = () => forkUtilityProcess('face-finder.js', 'Affect Workbench face finder')
