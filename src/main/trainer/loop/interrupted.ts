import { GpuFaultError } from '../backend'
import { isOutOfMemory } from '../process/out-of-memory'

// A run that fails in the middle keeps a checkpoint to resume from: the one it wrote last or, when
// the failure left the network intact and readable (an allocation that failed before the update,
// see train-step.ts), one written at the failure itself. A GPU that was lost or rejected a
// computation holds nothing trustworthy, so then the last checkpoint written is the resume point.

/** Where a failed run can continue from. */
export interface ResumePoint {
  step: number
  path: string
}

/** The run failed at `step`; `cause` says why, `resume` where it can continue from (null: start again). */
export class RunInterruptedError extends Error {
  constructor(
    readonly cause: unknown,
    readonly step: number,
    readonly resume: ResumePoint | null,
  ) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.name = 'RunInterruptedError'
  }
}

/** Whether the network's state may be checkpointed after this failure (intact, and readable from where it lives). */
export function stateIsSaveable(cause: unknown): boolean {
  if (cause instanceof GpuFaultError) return false
  return isOutOfMemory(cause instanceof Error ? cause.message : String(cause))
}
