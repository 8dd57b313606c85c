import { TRAINING_BACKENDS, type BackendName, type BackendStatus } from '../../../shared/contract/app'
import type { TrainerCommand, TrainerMessage } from '../../../shared/trainer-protocol'
import { selectBackend } from '../backend'
import { probeBackend } from '../backend/probe'
import { runPrediction } from '../loop/predict'
import { threadsFor } from '../loop/threads'
import { trainRun } from '../loop/train'
import { explainFailure, type FailureContext } from './failure'

// One trainer command, start to end, independent of how messages travel: the process entry wraps
// it for child_process.fork and Electron's utilityProcess, tests call it in-process.

export type RunResult = 'finished' | 'stopped' | 'failed'

/**
 * Every backend with a reason: those tried by the selection say why they did or did not load; the
 * others were not tried (another was asked for, or one earlier in the 'auto' order loaded).
 */
export function everyBackend(tried: BackendStatus[], chosen: BackendName, choice: string): BackendStatus[] {
  return TRAINING_BACKENDS.map(
    (backend) =>
      tried.find((t) => t.backend === backend) ?? {
        backend,
        available: false,
        reason: choice === 'auto' ? `not tried: '${chosen}' loaded first` : `not tried: the run asks for '${choice}'`,
      },
  )
}

/**
 * Selects the backend, then trains or predicts, sending every message through `send`. Failures
 * become a `failed` message (never an exception); the result says how the command ended.
 * `onStop` registers the handler that a later `stop` command (or a lost parent) should call.
 */
export async function runTrainerCommand(
  command: TrainerCommand,
  send: (message: TrainerMessage) => void,
  onStop: (handler: () => void) => void,
): Promise<RunResult> {
  let stopRequested = false
  onStop(() => {
    stopRequested = true
  })
  const context: FailureContext =
    command.type === 'train'
      ? { batchSize: command.config.batchSize, inputSize: command.config.inputSize, network: command.config.network }
      : {}
  try {
    if (command.type === 'stop') {
      send({ type: 'log', level: 'info', message: 'stop received with no run in progress: nothing to stop' })
      return 'stopped'
    }
    if (command.type === 'probe') {
      send({ type: 'probed', status: await probeBackend(command.backend) })
      return 'finished'
    }
    if (command.type !== 'train' && command.type !== 'predict') {
      throw new Error(
        `the trainer does not know the command '${String((command as { type?: unknown }).type)}' (expected train, predict, probe or stop)`,
      )
    }
    const choice = command.type === 'train' ? command.config.backend : command.backend
    const threads = command.type === 'train' ? threadsFor(command.config.threads).threads : undefined
    const selected = await selectBackend(choice ?? 'auto', { threads })
    const adapter = selected.adapter
    const backend = {
      name: selected.name,
      backends: everyBackend(selected.reasons, selected.name, choice ?? 'auto'),
      ...(adapter ? { maxBufferBytes: Math.min(adapter.maxBufferSize, adapter.maxStorageBufferBindingSize) } : {}),
    }
    if (command.type === 'predict') return await runPrediction(command, send, backend, () => stopRequested)
    return await trainRun(command, send, { backend, stopRequested: () => stopRequested })
  } catch (error) {
    send({ type: 'failed', ...explainFailure(error, context) })
    return 'failed'
  }
}
