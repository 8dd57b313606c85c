import * as tf from '@tensorflow/tfjs'
import type { Network } from '../network'
import { backendHasMomentumStep, MOMENTUM_STEP, MomentumStepAttrs } from './momentum-kernel'

/*
 * One SGD-with-momentum step on a Network (PyTorch's formulation: v = momentum*v + g, w -= lr*v).
 * Split into gradients() and apply() so data-parallel training can average gradients in between.
 * The loss is read back asynchronously: a GPU backend (webgpu) has no synchronous read in Node.
 */

export type LossOf = (logits: Record<string, tf.Tensor2D>) => tf.Scalar

export interface TrainStep {
  /** Forward (training mode), backward, update. Resolves with the loss before the update. */
  step(x: tf.Tensor4D, lossOf: LossOf, learningRate: number): Promise<number>
  /**
   * Forward (training mode) and backward only: loss and gradients by variable name (caller
   * disposes). Variables the loss does not depend on (an output head with no rows in this batch)
   * have no entry.
   */
  gradients(x: tf.Tensor4D, lossOf: LossOf): Promise<{ loss: number; grads: Map<string, tf.Tensor> }>
  /**
   * The momentum update with the given gradients (not disposed here). Variables without a gradient
   * are left alone, weights and momentum both, as PyTorch's SGD does. All or nothing: every new
   * value is computed before the first is assigned, so running out of memory half-way leaves the
   * network as it was (and its state fit for a checkpoint).
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

  async function gradients(x: tf.Tensor4D, lossOf: LossOf): Promise<{ loss: number; grads: Map<string, tf.Tensor> }> {
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => lossOf(net.apply(x, true))), vars)
    const byName = new Map<string, tf.Tensor>()
    names.forEach((n, i) => {
      const g = grads[vars[i].name]
      if (g) byName.set(n, g)
    })
    try {
      return { loss: (await value.data())[0], grads: byName }
    } catch (e) {
      for (const g of byName.values()) g.dispose()
      throw e
    } finally {
      value.dispose()
    }
  }

  /** [w', v'] of one variable: the backend's one-call kernel when it has one (wasm), else four tfjs ops. */
  function updateOf(learningRate: number): (w: tf.Tensor, v: tf.Tensor, g: tf.Tensor) => [tf.Tensor, tf.Tensor] {
    if (backendHasMomentumStep()) {
      const attrs: MomentumStepAttrs = { learningRate, momentum: opts.momentum }
      return (w, v, g) =>
        tf.engine().runKernel(MOMENTUM_STEP, { w, v, g }, attrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor]
    }
    const lr = tf.scalar(-learningRate)
    const m = tf.scalar(opts.momentum)
    return (w, v, g) => {
      const nextV = tf.add(tf.mul(v, m), g)
      return [tf.add(w, tf.mul(nextV, lr)), nextV]
    }
  }

  function apply(grads: Map<string, tf.Tensor>, learningRate: number): void {
    if (!Number.isFinite(learningRate)) throw new Error(`learning rate must be a finite number (got ${learningRate})`)
    for (const n of grads.keys())
      if (!net.trainable.has(n)) throw new Error(`gradient for unknown network variable '${n}'`)
    tf.tidy(() => {
      const step = updateOf(learningRate)
      const updates: [tf.Variable, tf.Tensor][] = []
      names.forEach((n, i) => {
        const g = grads.get(n)
        if (!g) return
        const v = velocityOf(n, vars[i])
        const [nextW, nextV] = step(vars[i], v, g)
        updates.push([v, nextV], [vars[i], nextW])
      })
      for (const [variable, value] of updates) variable.assign(value)
    })
  }

  return {
    gradients,
    apply,
    async step(x, lossOf, learningRate) {
      const { loss, grads } = await gradients(x, lossOf)
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
