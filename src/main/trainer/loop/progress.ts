import type { ProgressMessage } from '../../../shared/trainer-protocol'

// Progress for the user: the training loss averaged since the last report (a single step's loss
// is too noisy to read), throughput and time left, sent at most a few times per second so a fast
// backend does not flood main with messages.

export const PROGRESS_INTERVAL_MS = 250

export class ProgressMeter {
  private lossSum = 0
  private lossCount = 0
  private readonly headSums = new Map<string, { sum: number; count: number }>()
  private lastReport = -Infinity
  private readonly startTime: number
  private readonly startStep: number

  constructor(
    private readonly totalSteps: number,
    private readonly batchSize: number,
    startStep: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startStep = startStep
    this.startTime = now()
  }

  /** Records one step's loss and the loss of each head that had rows in the batch. */
  record(loss: number, lossByHead: Record<string, number>): void {
    this.lossSum += loss
    this.lossCount++
    for (const [head, value] of Object.entries(lossByHead)) {
      const h = this.headSums.get(head) ?? { sum: 0, count: 0 }
      h.sum += value
      h.count++
      this.headSums.set(head, h)
    }
  }

  /** A progress message when one is due (or `force`, e.g. the last step), else null. */
  report(step: number, epoch: number, learningRate: number, force = false): ProgressMessage | null {
    const now = this.now()
    if (this.lossCount === 0 || (!force && now - this.lastReport < PROGRESS_INTERVAL_MS)) return null
    this.lastReport = now
    const seconds = (now - this.startTime) / 1000
    const stepsDone = step - this.startStep
    const stepsPerSecond = seconds > 0 ? stepsDone / seconds : 0
    const lossByHead: Record<string, number> = {}
    for (const [head, h] of this.headSums) lossByHead[head] = h.sum / h.count
    const message: ProgressMessage = {
      type: 'progress',
      step,
      totalSteps: this.totalSteps,
      epoch,
      imagesPerSecond: stepsPerSecond * this.batchSize,
      etaSeconds: stepsPerSecond > 0 ? (this.totalSteps - step) / stepsPerSecond : 0,
      learningRate,
      loss: this.lossSum / this.lossCount,
      lossByHead,
    }
    this.lossSum = 0
    this.lossCount = 0
    this.headSums.clear()
    return message
  }
}
