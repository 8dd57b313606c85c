import * as tf from '@tensorflow/tfjs'
import type { CheckpointTensor, Checkpoint } from '../checkpoint'
import type { Network } from '../network'
import type { TrainStep } from '../optimiser/momentum-sgd'

// Moving a network's state in and out of checkpoints, by the variables' stable names: weights
// (trainable), batch-norm moving statistics and the optimiser's momentum buffers.

export type NetworkState = Pick<Checkpoint, 'weights' | 'optimizer' | 'batchNorm'>

async function tensorsOf(vars: ReadonlyMap<string, tf.Tensor>): Promise<CheckpointTensor[]> {
  // A copy: some backends hand out their own buffer, which must not change under a pending save.
  // Read asynchronously: a GPU backend (webgpu) has no synchronous read in Node.
  const out: CheckpointTensor[] = []
  for (const [name, v] of vars)
    out.push({ name, shape: [...v.shape], data: Float32Array.from((await v.data()) as Float32Array) })
  return out
}

/** Copies of everything a resumed run needs from the network and its optimiser. */
export async function captureState(net: Network, trainStep: TrainStep | null): Promise<NetworkState> {
  const optimizer: CheckpointTensor[] = []
  if (trainStep) {
    const buffers = trainStep.optimizerState()
    try {
      optimizer.push(...(await tensorsOf(buffers)))
    } finally {
      for (const t of buffers.values()) t.dispose()
    }
  }
  return { weights: await tensorsOf(net.trainable), batchNorm: await tensorsOf(net.state), optimizer }
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/**
 * Restores weights and batch-norm statistics (and the optimiser when given) exactly; every
 * variable of the network must be in the checkpoint with its shape, or the error names it.
 */
export function restoreState(net: Network, trainStep: TrainStep | null, state: NetworkState, where: string): void {
  const assign = (vars: ReadonlyMap<string, tf.Variable>, saved: CheckpointTensor[], what: string): void => {
    const byName = new Map(saved.map((t) => [t.name, t]))
    for (const [name, v] of vars) {
      const t = byName.get(name)
      if (!t) throw new Error(`${where}: has no ${what} '${name}' (was it written by another network or method?)`)
      if (!sameShape(t.shape, v.shape))
        throw new Error(
          `${where}: ${what} '${name}' has shape [${t.shape.join(', ')}], the network needs [${v.shape.join(', ')}]`,
        )
    }
    for (const [name, v] of vars) tf.tidy(() => v.assign(tf.tensor(byName.get(name)!.data, v.shape, 'float32')))
  }
  assign(net.trainable, state.weights, 'weight')
  assign(net.state, state.batchNorm, 'batch-norm statistic')
  if (!trainStep) return
  const buffers = new Map(state.optimizer.map((t) => [t.name, tf.tensor(t.data, t.shape, 'float32')]))
  try {
    trainStep.loadOptimizerState(buffers)
  } finally {
    for (const t of buffers.values()) t.dispose()
  }
}

export interface InitReport {
  loaded: string[]
  /** Variables left at their fresh initial value, and why. */
  skipped: { name: string; reason: string }[]
}

/**
 * Initialise from another run (transfer, as the paper pre-trains on FER2013): every weight and
 * batch-norm statistic whose name and shape match is copied; the rest (typically output heads of
 * another label space) keeps its fresh initial value.
 */
export function initFromState(net: Network, state: Pick<NetworkState, 'weights' | 'batchNorm'>): InitReport {
  const saved = new Map([...state.weights, ...state.batchNorm].map((t) => [t.name, t]))
  const report: InitReport = { loaded: [], skipped: [] }
  for (const vars of [net.trainable, net.state]) {
    for (const [name, v] of vars) {
      const t = saved.get(name)
      if (!t) report.skipped.push({ name, reason: 'not in the checkpoint' })
      else if (!sameShape(t.shape, v.shape))
        report.skipped.push({ name, reason: `shape [${t.shape.join(', ')}] there, [${v.shape.join(', ')}] here` })
      else {
        tf.tidy(() => v.assign(tf.tensor(t.data, v.shape, 'float32')))
        report.loaded.push(name)
      }
    }
  }
  return report
}
