import { BackendUnavailableError, GpuFaultError } from '../backend'
import { ImageReadError } from '../data/decode'
import { RunInterruptedError } from '../loop/interrupted'
import { TrainingDivergedError } from '../loop/train'
import { isOutOfMemory } from './out-of-memory'

// Why a run failed, in words a researcher can act on: the `failed` message's reason. The raw
// error (message and stack) goes to `detail` for a bug report, never in place of the reason.

export interface FailureContext {
  batchSize?: number
  inputSize?: number
  network?: string
}

export interface Failure {
  reason: string
  detail?: string
}

export { isOutOfMemory }

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

function detailOf(error: unknown): string | undefined {
  if (error instanceof Error) return error.stack ?? error.message
  return error === undefined ? undefined : String(error)
}

/** The `failed` message's reason and detail for an error thrown while training or predicting. */
export function explainFailure(error: unknown, context: FailureContext = {}): Failure {
  if (error instanceof RunInterruptedError) {
    const failure = explainFailure(error.cause, context)
    const resume = error.resume
      ? ` Resume the run to continue from its checkpoint of step ${error.resume.step} (on this or another backend).`
      : ' It had written no checkpoint yet: start it again.'
    return { ...failure, reason: `at step ${error.step + 1}, ${failure.reason.replace(/\.?\s*$/, '.')}${resume}` }
  }
  if (error instanceof GpuFaultError) return { reason: explainGpuFault(error, context), detail: detailOf(error) }
  const detail = detailOf(error)
  const message = messageOf(error)
  if (error instanceof BackendUnavailableError) {
    return {
      reason: `the ${error.backend} backend cannot be used: ${message.replace(/\.\s*$/, '')}. Choose another backend ('auto' picks the fastest one that loads).`,
      detail: error.reasons.map((r) => `${r.backend}: ${r.reason}`).join('\n'),
    }
  }
  if (error instanceof ImageReadError) {
    const fix = error.missing
      ? 'restore the file, or re-import its dataset so the catalogue points at the right folder'
      : 'replace the file, or mark the image as excluded and start the run again'
    return { reason: `${message}: ${fix}.`, detail }
  }
  if (error instanceof TrainingDivergedError) return { reason: message, detail }
  if (isOutOfMemory(message)) {
    const batch = context.batchSize ? ` (now ${context.batchSize})` : ''
    const size = context.inputSize ? ` or the input size (now ${context.inputSize}px)` : ''
    return {
      reason: `the trainer ran out of memory: use a smaller batch size${batch}${size}, or a smaller network${context.network ? ` than ${context.network}` : ''}.`,
      detail,
    }
  }
  const code = (error as { code?: unknown } | null)?.code
  const path = (error as { path?: unknown } | null)?.path
  if (code === 'ENOSPC')
    return {
      reason: `the disk is full${typeof path === 'string' ? ` (writing ${path})` : ''}: free some space, then resume the run from its last checkpoint.`,
      detail,
    }
  if (code === 'ENOENT' && typeof path === 'string')
    return { reason: `a file the trainer needs is missing: ${path}.`, detail }
  if (code === 'EACCES' || code === 'EPERM')
    return {
      reason: `the trainer may not ${typeof path === 'string' ? `write or read ${path}` : 'access a file it needs'}: check the folder's permissions.`,
      detail,
    }
  return { reason: message || 'the trainer stopped on an unexpected error', detail }
}

function explainGpuFault(error: GpuFaultError, context: FailureContext): string {
  if (error.kind === 'lost') {
    return `${error.message}: the graphics driver reset the GPU or it was taken away (a driver update or crash, the machine sleeping, an external GPU unplugged).`
  }
  if (error.kind === 'out-of-memory') {
    const batch = context.batchSize ? ` (now ${context.batchSize})` : ''
    return `${error.message}: close other programs using the GPU, or start a new run initialised from this one with a smaller batch size${batch} or input size.`
  }
  return `${error.message}. This is a bug in a GPU kernel on this adapter: please report it with the run's messages, and meanwhile train on another backend.`
}
