import type { FaceFinderCommand, FaceFinderMessage } from '../../../shared/face-finder-protocol'
import { FaceFinderOptionsSchema } from '../../../shared/faces'
import { connectToParent } from '../../trainer/process/parent-port'
import { explainFaceFailure, runFind } from './run-find'

// The face finder process: started by main with child_process.fork (CLI, headless mode, tests) or
// Electron's utilityProcess.fork (app). It runs the first `find` command it receives, streams
// FaceFinderMessages back and exits: 0 when it finished or stopped, 1 when it failed (after a
// `failed` message saying why). A `stop` command, or main going away, ends it after the photo in
// hand. Its own process keeps tfjs, the networks and the decoded photos off main's thread and heap.
//
// Do not import this file in-process (it takes over the process's channel): call runFind.

const port = connectToParent<FaceFinderCommand, FaceFinderMessage>()
if (!port) {
  process.stderr.write(
    'the face finder must be started by the workbench (child_process.fork or utilityProcess.fork), not run directly\n',
  )
  process.exit(2)
}

let running = false
let stopRequested = false

async function exitWhenFlushed(code: number): Promise<never> {
  await port!.flushed()
  process.exit(code)
}

function failAndExit(error: unknown): void {
  port!.send({ type: 'failed', ...explainFaceFailure(error) })
  void exitWhenFlushed(1)
}

process.on('uncaughtException', failAndExit)
process.on('unhandledRejection', failAndExit)

port.onDisconnect(() => {
  if (running) stopRequested = true
  else process.exit(0)
})

port.onCommand((command) => {
  // Typed, but it crossed a process boundary: check what actually arrived.
  const type = (command as { type?: unknown } | null)?.type
  if (type === 'stop') {
    if (running) stopRequested = true
    else void exitWhenFlushed(0)
    return
  }
  if (running) {
    process.stderr.write(`face finder: ignored a '${String(type)}' command: it is already running one\n`)
    return
  }
  if (command.type !== 'find') {
    port.send({
      type: 'failed',
      reason: `the face finder does not know the command '${String(type)}' (expected find or stop)`,
    })
    void exitWhenFlushed(1)
    return
  }
  const options = FaceFinderOptionsSchema.safeParse(command.options)
  if (!options.success) {
    port.send({
      type: 'failed',
      reason: `invalid face finder options: ${options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    })
    void exitWhenFlushed(1)
    return
  }
  running = true
  void runFind(command.photos, options.data, port.send, () => stopRequested).then((outcome) =>
    exitWhenFlushed(outcome === 'failed' ? 1 : 0),
  )
})
