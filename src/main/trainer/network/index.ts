import * as tf from '@tensorflow/tfjs'
import { applyHeads, makeHeads, ParamStore } from './params'
import { buildResnetTrunk, Trunk } from './resnet'
import { buildVggSmallTrunk } from './vgg'

/*
 * The paper's networks built from raw tfjs ops with named variables (no tf.layers), so the trainer
 * controls gradients, checkpoints and data-parallel averaging by name.
 */

export const NETWORK_ARCHS = ['resnet-8', 'resnet-20', 'resnet-32', 'resnet-56', 'resnet-110', 'vgg-small'] as const
export type NetworkArch = (typeof NETWORK_ARCHS)[number]

export interface HeadSpec {
  name: string
  units: number
}

export interface NetworkSpec {
  arch: NetworkArch
  /** Height and width of the (square) input images. */
  inputSize: number
  channels: 1 | 3
  heads: HeadSpec[]
  seed: number
}

export interface Network {
  readonly spec: NetworkSpec
  /** Weights the optimiser updates, by stable name ('stage1/block1/conv1/kernel'). */
  readonly trainable: Map<string, tf.Variable>
  /** Batch-norm moving mean / variance, by name ('.../bn1/moving_mean'). */
  readonly state: Map<string, tf.Variable>
  /**
   * Logits per head for a batch [N, inputSize, inputSize, channels]. training=true normalises with
   * batch statistics and updates the moving averages; false uses the moving averages.
   */
  apply(x: tf.Tensor4D, training: boolean): Record<string, tf.Tensor2D>
  dispose(): void
}

export function isNetworkArch(value: string): value is NetworkArch {
  return (NETWORK_ARCHS as readonly string[]).includes(value)
}

// Below this the third ResNet stage would pool a 1x1 map out of padding.
const MIN_INPUT = 8

export function buildNetwork(spec: NetworkSpec): Network {
  if (!isNetworkArch(spec.arch))
    throw new Error(`unknown network arch '${spec.arch}' (known: ${NETWORK_ARCHS.join(', ')})`)
  if (!Number.isInteger(spec.inputSize) || spec.inputSize < MIN_INPUT) {
    throw new Error(`network inputSize must be an integer >= ${MIN_INPUT} (got ${spec.inputSize})`)
  }
  if (spec.channels !== 1 && spec.channels !== 3)
    throw new Error(`network channels must be 1 or 3 (got ${spec.channels})`)
  if (spec.heads.length === 0) throw new Error('a network needs at least one output head')
  if (!Number.isInteger(spec.seed)) throw new Error(`network seed must be an integer (got ${spec.seed})`)

  const params = new ParamStore(spec.seed)
  const trunk: Trunk =
    spec.arch === 'vgg-small'
      ? buildVggSmallTrunk(params, spec.channels)
      : buildResnetTrunk(params, Number(spec.arch.slice('resnet-'.length)), spec.channels)
  const heads = makeHeads(params, trunk.features, spec.heads)
  let disposed = false

  return {
    spec: { ...spec, heads: spec.heads.map((h) => ({ ...h })) },
    trainable: params.trainable,
    state: params.state,
    apply(x, training) {
      if (disposed) throw new Error(`network ${spec.arch} was disposed`)
      const [, h, w, c] = x.shape
      if (x.rank !== 4 || h !== spec.inputSize || w !== spec.inputSize || c !== spec.channels) {
        throw new Error(
          `network ${spec.arch} expects input [N, ${spec.inputSize}, ${spec.inputSize}, ${spec.channels}], got [${x.shape.join(', ')}]`,
        )
      }
      return tf.tidy(() => applyHeads(heads, trunk.apply(x, training)))
    },
    dispose() {
      disposed = true
      params.dispose()
    },
  }
}
