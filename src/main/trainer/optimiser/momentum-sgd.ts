import * as tf from '@tensorflow/tfjs'
import type { Network } from '../network'

/*
 * One SGD-with-momentum step on a Network (PyTorch's formulation: v = momentum*v + g, w -= lr*v).
 * Split into gradients() and apply() so data-parallel training can average gradients in between.
 */

export type LossOf = (logits: Record<string, tf.Tensor2D>) => tf.Scalar

export interface TrainStep {
  /** Forward (training mode), backward, update. Returns the loss before the update. */
  step(x: tf.Tensor4D, lossOf: LossOf, learningRate: number): number
  /**
   * Forward (training mode) and backward only: loss and gradients by variable name (caller
   * disposes). Variables the loss does not depend on (an output head with no rows in this batch)
   * have no entry.
   */
  gradients(x: tf.Tensor4D, lossOf: LossOf): { loss: number; grads: Map<string, tf.Tensor> }
  /**
   * The momentum update with the given gradients (not disposed here). Variables without a gradient
   * are left alone, weights and momentum both, as PyTorch's SGD does.
   */
  apply(grads: Map<string, tf.Tensor>, learningRate: number): void
  /** Momentum buffers by variable name, for checkpoints (copies; caller disposes). */
  optimizerState(): Map<string, tf.Tensor>
  /** Restores momentum buffers; names must match the network's trainable variables. */
  loadOptimizerState(state: Map<string, tf.Tensor>): void
  dispose(): void
}

export interface TrainStepOptions {
  momentum: number
}

export function createTrainStep(net: Network, opts: TrainStepOptions): TrainStep {
  if (!(opts.momentum >= 0 && opts.momentum < 1)) throw new Error(`momentum must be in [0, 1) (got ${opts.momentum})`)
  const names = [...net.trainable.keys()]
  const vars = names.map((n) => net.trainable.get(n)!)
  const velocity = new Map<string, tf.Variable>()

  function velocityOf(name: string, like: tf.Variable): tf.Variable {
    let v = velocity.get(name)
    if (!v) {
      v = tf.variable(tf.zerosLike(like), false)
      velocity.set(name, v)
    }
    return v
  }

  function gradients(x: tf.Tensor4D, lossOf: LossOf): { loss: number; grads: Map<string, tf.Tensor> } {
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => lossOf(net.apply(x, true))), vars)
    const loss = value.dataSync()[0]
    value.dispose()
    const byName = new Map<string, tf.Tensor>()
    names.forEach((n, i) => {
      const g = grads[vars[i].name]
      if (g) byName.set(n, g)
    })
    return { loss, grads: byName }
  }

  function apply(grads: Map<string, tf.Tensor>, learningRate: number): void {
    if (!Number.isFinite(learningRate)) throw new Error(`learning rate must be a finite number (got ${learningRate})`)
    tf.tidy(() => {
      const lr = tf.scalar(-learningRate)
      const m = tf.scalar(opts.momentum)
      for (const n of grads.keys()) if (!net.trainable.has(n)) throw new Error(`gradient for unknown network variable '${n}'`)
      names.forEach((n, i) => {
        const g = grads.get(n)
        if (!g) return
        const v = velocityOf(n, vars[i])
        v.assign(tf.add(tf.mul(v, m), g))
        vars[i].assign(tf.add(vars[i], tf.mul(v, lr)))
      })
    })
  }

  return {
    gradients,
    apply,
    step(x, lossOf, learningRate) {
      const { loss, grads } = gradients(x, lossOf)
      try {
        apply(grads, learningRate)
      } finally {
        for (const g of grads.values()) g.dispose()
      }
      return loss
    },
    optimizerState() {
      const out = new Map<string, tf.Tensor>()
      for (const [n, v] of velocity) out.set(n, tf.clone(v))
      return out
    },
    loadOptimizerState(state) {
      for (const [n, t] of state) {
        const w = net.trainable.get(n)
        if (!w) throw new Error(`optimizer state names unknown variable '${n}'`)
        if (!tf.util.arraysEqual(w.shape, t.shape)) {
          throw new Error(`optimizer state for '${n}' has shape [${t.shape}], the variable has [${w.shape}]`)
        }
      }
      for (const [n, t] of state) velocityOf(n, net.trainable.get(n)!).assign(t)
    },
    dispose() {
      for (const v of velocity.values()) v.dispose()
      velocity.clear()
    },
  }
}
