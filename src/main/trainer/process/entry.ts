import { explainFailure } from './failure'
import { connectToParent } from './parent-port'
import { runTrainerCommand } from './run-command'

// The trainer process: started by main with Electron's utilityProcess.fork (app) or Node's
// child_process.fork (CLI, headless mode, tests). It runs the first `train` or `predict` command
// it receives, streams TrainerMessages back, and exits: 0 when the run finished or stopped, 1 when
// it failed (after a `failed` message saying why). A `stop` command, or main going away, ends a
// training run at the next step with a checkpoint it can be resumed from.
//
// Do not import this file in-process (it takes over the process's channel): call
// runTrainerCommand from './run-command' instead.

export { runTrainerCommand } from './run-command'

const port = connectToParent()
if (!port) {
  process.stderr.write(
    'the trainer must be started by the workbench (child_process.fork or utilityProcess.fork), not run directly\n',
  )
  process.exit(2)
}

const stopHandlers: (() => void)[] = []
let running = false

const requestStop = (): void => {
  for (const handler of stopHandlers) handler()
}

async function exitWhenFlushed(code: number): Promise<never> {
  await port!.flushed()
  process.exit(code)
}

function failAndExit(error: unknown): void {
  port!.send({ type: 'failed', ...explainFailure(error) })
  void exitWhenFlushed(1)
}

process.on('uncaughtException', failAndExit)
process.on('unhandledRejection', failAndExit)

port.onDisconnect(() => {
  // Main is gone: nobody will read progress, but a checkpoint keeps the work resumable.
  if (running) requestStop()
  else process.exit(0)
})

port.onCommand((command) => {
  if (command?.type === 'stop') {
    if (running) requestStop()
    else void exitWhenFlushed(0)
    return
  }
  if (running) {
    port.send({
      type: 'log',
      level: 'warn',
      message: `ignored a '${String(command?.type)}' command: this trainer process is already running one`,
    })
    return
  }
  running = true
  void runTrainerCommand(command, port.send, (handler) => stopHandlers.push(handler)).then((result) =>
    exitWhenFlushed(result === 'failed' ? 1 : 0),
  )
})
