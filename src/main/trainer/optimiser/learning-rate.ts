import type { RunConfig } from '../../../shared/run-config'

// The learning rate is a pure function of the step (as in nanoGPT), so a resumed run picks up the
// exact rate of the step it stopped at without restoring any scheduler state.

export type LearningRateSchedule = Pick<RunConfig, 'learningRate' | 'lrDecayRate' | 'lrDecaySteps'>

/** Staircase exponential decay: learningRate * lrDecayRate ^ floor(step / lrDecaySteps). */
export function learningRateAt(step: number, schedule: LearningRateSchedule): number {
  if (!Number.isInteger(step) || step < 0)
    throw new RangeError(`learning rate schedule: step must be a whole number >= 0 (got ${step})`)
  return schedule.learningRate * Math.pow(schedule.lrDecayRate, Math.floor(step / schedule.lrDecaySteps))
}
