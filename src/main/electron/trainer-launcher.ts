import { utilityProcess } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TrainerCommand, TrainerMessage } from '../../shared/trainer-protocol'
import type { TrainerLauncher } from '../training/trainer-host'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * In the desktop app the trainer is an Electron utility process (out/main/trainer.js): a crash of
 * the GPU driver or an out-of-memory kill takes it down, not the app.
 */
export const electronTrainerLauncher: TrainerLauncher = () => {
  const child = utilityProcess.fork(join(here, 'trainer.js'), [], { serviceName: 'Affect Workbench trainer', stdio: ['ignore', 'inherit', 'pipe'] })
  let stderrTail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    stderrTail = (stderrTail + chunk.toString()).slice(-4000)
  })
  return {
    send: (command: TrainerCommand) => child.postMessage(command),
    onMessage: (listener) => child.on('message', (message: TrainerMessage) => listener(message)),
    // utilityProcess reports a code only; a killed or crashed process exits non-zero.
    onExit: (listener) => child.on('exit', (code) => listener({ code, signal: null, stderrTail })),
    kill: () => void child.kill(),
  }
}
