import { BackendUnavailableError } from '../backend'
import { ImageReadError } from '../data/decode'
import { TrainingDivergedError } from '../loop/train'

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

const OUT_OF_MEMORY = /out of memory|\boom\b|failed to allocate|allocation failed|cannot allocate|could not allocate|array buffer allocation|invalid typed array length|invalid array length|WebAssembly\.Memory|memory access out of bounds|resource exhausted/i

export const isOutOfMemory = (message: string): boolean => OUT_OF_MEMORY.test(message)

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

function detailOf(error: unknown): string | undefined {
  if (error instanceof Error) return error.stack ?? error.message
  return error === undefined ? undefined : String(error)
}

/** The `failed` message's reason and detail for an error thrown while training or predicting. */
export function explainFailure(error: unknown, context: FailureContext = {}): Failure {
  const detail = detailOf(error)
  const message = messageOf(error)
  if (error instanceof BackendUnavailableError) {
    return { reason: `the ${error.backend} backend cannot be used: ${message.replace(/\.\s*$/, '')}. Choose another backend ('auto' picks the fastest one that loads).`, detail: error.reasons.map((r) => `${r.backend}: ${r.reason}`).join('\n') }
  }
  if (error instanceof ImageReadError) {
    const fix = error.missing ? 'restore the file, or re-import its dataset so the catalogue points at the right folder' : 'replace the file, or mark the image as excluded and start the run again'
    return { reason: `${message}: ${fix}.`, detail }
  }
  if (error instanceof TrainingDivergedError) return { reason: message, detail }
  if (isOutOfMemory(message)) {
    const batch = context.batchSize ? ` (now ${context.batchSize})` : ''
    const size = context.inputSize ? ` or the input size (now ${context.inputSize}px)` : ''
    return { reason: `the trainer ran out of memory: use a smaller batch size${batch}${size}, or a smaller network${context.network ? ` than ${context.network}` : ''}.`, detail }
  }
  const code = (error as { code?: unknown } | null)?.code
  const path = (error as { path?: unknown } | null)?.path
  if (code === 'ENOSPC') return { reason: `the disk is full${typeof path === 'string' ? ` (writing ${path})` : ''}: free some space, then resume the run from its last checkpoint.`, detail }
  if (code === 'ENOENT' && typeof path === 'string') return { reason: `a file the trainer needs is missing: ${path}.`, detail }
  if (code === 'EACCES' || code === 'EPERM') return { reason: `the trainer may not ${typeof path === 'string' ? `write or read ${path}` : 'access a file it needs'}: check the folder's permissions.`, detail }
  return { reason: message || 'the trainer stopped on an unexpected error', detail }
}
