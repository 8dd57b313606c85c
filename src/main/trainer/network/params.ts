import * as tf from '@tensorflow/tfjs'
import { BatchNormVariables } from './batch-norm'
import { glorotUniform, heNormal } from './init'

let networkCounter = 0

/**
 * Creates a network's named variables. Map keys are the stable names used in checkpoints
 * ('stage2/block1/conv1/kernel'); the engine-level names get a per-network prefix because tfjs
 * refuses two live variables with the same name (two networks at once, e.g. in tests).
 */
export class ParamStore {
  readonly trainable = new Map<string, tf.Variable>()
  readonly state = new Map<string, tf.Variable>()
  private readonly prefix = `net${++networkCounter}`

  constructor(private readonly seed: number) {}

  private make(name: string, values: Float32Array, shape: number[], trainable: boolean): tf.Variable {
    if (this.trainable.has(name) || this.state.has(name)) throw new Error(`duplicate network variable '${name}'`)
    const init = tf.tensor(values, shape, 'float32')
    const v = tf.variable(init, trainable, `${this.prefix}/${name}`, 'float32')
    init.dispose()
    ;(trainable ? this.trainable : this.state).set(name, v)
    return v
  }

  convKernel(name: string, k: number, cin: number, cout: number): tf.Variable {
    const shape = [k, k, cin, cout]
    return this.make(`${name}/kernel`, heNormal(shape, this.seed, `${name}/kernel`), shape, true)
  }

  denseKernel(name: string, cin: number, cout: number): tf.Variable {
    return this.make(`${name}/kernel`, glorotUniform([cin, cout], this.seed, `${name}/kernel`), [cin, cout], true)
  }

  bias(name: string, units: number): tf.Variable {
    return this.make(`${name}/bias`, new Float32Array(units), [units], true)
  }

  batchNorm(name: string, channels: number): BatchNormVariables {
    const ones = new Float32Array(channels).fill(1)
    return {
      gamma: this.make(`${name}/gamma`, ones, [channels], true),
      beta: this.make(`${name}/beta`, new Float32Array(channels), [channels], true),
      movingMean: this.make(`${name}/moving_mean`, new Float32Array(channels), [channels], false),
      movingVariance: this.make(`${name}/moving_variance`, ones, [channels], false),
    }
  }

  dispose(): void {
    for (const v of this.trainable.values()) v.dispose()
    for (const v of this.state.values()) v.dispose()
    this.trainable.clear()
    this.state.clear()
  }
}

export interface Head {
  name: string
  kernel: tf.Variable
  bias: tf.Variable
}

export function makeHeads(params: ParamStore, features: number, heads: { name: string; units: number }[]): Head[] {
  const seen = new Set<string>()
  return heads.map(({ name, units }) => {
    if (!name || seen.has(name)) throw new Error(`network heads need unique, non-empty names (got '${name}')`)
    if (!Number.isInteger(units) || units < 1)
      throw new Error(`head '${name}': units must be a positive integer (got ${units})`)
    seen.add(name)
    return {
      name,
      kernel: params.denseKernel(`head/${name}`, features, units),
      bias: params.bias(`head/${name}`, units),
    }
  })
}

/** Logits per head from pooled features [N, F]. */
export function applyHeads(heads: Head[], features: tf.Tensor2D): Record<string, tf.Tensor2D> {
  const out: Record<string, tf.Tensor2D> = {}
  for (const h of heads) out[h.name] = tf.add(tf.matMul(features, h.kernel as tf.Tensor2D), h.bias) as tf.Tensor2D
  return out
}
