import * as tf from '@tensorflow/tfjs'
import { parentPort } from 'node:worker_threads'
import type { Batch } from '../../data/batch'
import { batchProbabilities } from '../../loop/evaluate'
import { lossOfRows } from '../../loop/train-on-batch'
import { buildNetwork, type Network } from '../../network'
import { withBatchStatisticsExchange } from '../../network/batch-norm-kernels'
import { createTrainStep, type TrainStep } from '../../optimiser/momentum-sgd'
import { activateWasm } from '../wasm'
import { SharedExchange } from './exchange'
import {
  sharedSize,
  slotOffset,
  weightsSize,
  type FromWorker,
  type Layout,
  type RunModel,
  type ToWorker,
} from './protocol'

/*
 * One data-parallel worker of a run: its own wasm backend and copy of the network, which it loads
 * from the shared weights region whenever the coordinator has written a newer version. For a
 * training step it computes the run's own loss (loop/train-on-batch.ts) on its shard and writes the
 * gradients and batch-norm statistics into its slot; the coordinator combines the slots and applies
 * the update to the one set of weights. Batch norm meanwhile normalises with the whole batch's
 * statistics, exchanged with the other workers layer by layer (exchange.ts). See protocol.ts for the buffer's layout.
 */

interface State {
  net: Network
  trainStep: TrainStep
  model: RunModel
  layout: Layout
  shared: Float32Array | null
  /** Where batch norm's statistics are exchanged with the other workers. */
  statistics: SharedExchange | null
  index: number
  workers: number
  /** Version of the weights region last loaded into the network (-1: none yet). */
  loaded: number
}

let state: State | undefined
const port = parentPort!

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer)
}

function need(): State {
  if (!state) throw new Error('data-parallel worker used before init')
  return state
}

async function init(m: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  await activateWasm()
  const net = buildNetwork(m.model.spec)
  const layout: Layout = {
    trainable: [...net.trainable].map(([n, v]) => [n, v.size]),
    state: [...net.state].map(([n, v]) => [n, v.size]),
  }
  const trainStep = createTrainStep(net, { momentum: 0 })
  state = {
    net,
    trainStep,
    model: m.model,
    layout,
    shared: null,
    statistics: null,
    index: m.index,
    workers: m.workers,
    loaded: -1,
  }
  send({ type: 'ready', layout, backend: tf.getBackend() })
}

function attach(m: Extract<ToWorker, { type: 'attach' }>): void {
  const s = need()
  const shared = new Float32Array(m.shared)
  const want = sharedSize(s.layout, s.workers)
  if (shared.length !== want)
    throw new Error(
      `the shared buffer holds ${shared.length} floats, ${s.workers} workers of ${s.net.spec.arch} need ${want}`,
    )
  s.shared = shared
  s.statistics = new SharedExchange(m.statistics, { workers: s.workers, capacity: m.capacity })
  send({ type: 'ok' })
}

function statisticsOf(s: State): SharedExchange {
  if (!s.statistics) throw new Error('data-parallel worker used before its shared buffer was attached')
  return s.statistics
}

function sharedOf(s: State): Float32Array {
  if (!s.shared) throw new Error('data-parallel worker used before its shared buffer was attached')
  return s.shared
}

/** Loads the trainable weights when their version changed, and the batch-norm statistics always (a step moves them). */
function loadWeights(s: State, version: number): void {
  const shared = sharedOf(s)
  let offset = 0
  for (const [name, n] of s.layout.trainable) {
    if (s.loaded !== version) {
      const v = s.net.trainable.get(name)!
      tf.tidy(() => v.assign(tf.tensor(shared.subarray(offset, offset + n), v.shape)))
    }
    offset += n
  }
  for (const [name, n] of s.layout.state) {
    const v = s.net.state.get(name)!
    tf.tidy(() => v.assign(tf.tensor(shared.subarray(offset, offset + n), v.shape)))
    offset += n
  }
  s.loaded = version
}

const tensorsOf = (part: Batch): tf.Tensor4D => {
  const { batch: n, height, width, channels } = part.shape
  return tf.tensor4d(part.images, [n, height, width, channels])
}

async function gradients(m: Extract<ToWorker, { type: 'gradients' }>): Promise<void> {
  const s = need()
  loadWeights(s, m.weights)
  const kept = new Map<string, tf.Scalar>()
  const noCoupling = { couple: () => tf.scalar(0) }
  const weights = { weightDecay: m.weightDecay, landmarkWeight: s.model.landmarkWeight }
  const rows = lossOfRows(s.net, s.model.views, m.part, s.model.classCount, weights, noCoupling, kept, m.counts)
  const x = tensorsOf(m.part)
  // One worker alone normalises with its batch's own statistics: no exchange, no cost.
  const exchange = m.parties > 1 ? statisticsOf(s).forWorker(s.index, m.parties, m.share) : null
  try {
    const { grads } = await withBatchStatisticsExchange(exchange, () => s.trainStep.gradients(x, rows.lossOf))
    const shared = sharedOf(s)
    let offset = slotOffset(s.layout, s.index)
    const flagsAt = offset + weightsSize(s.layout)
    s.layout.trainable.forEach(([name, n], v) => {
      const g = grads.get(name)
      if (g) shared.set(g.dataSync() as Float32Array, offset)
      else shared.fill(0, offset, offset + n)
      shared[flagsAt + v] = g ? 1 : 0
      offset += n
    })
    tf.dispose([...grads.values()])
    for (const [name] of s.layout.state) {
      const v = s.net.state.get(name)!
      shared.set(v.dataSync() as Float32Array, offset)
      offset += v.size
    }
    const lossByHead: Record<string, number> = {}
    for (const [head, t] of kept) lossByHead[head] = (await t.data())[0]
    send({ type: 'gradients', lossByHead })
  } finally {
    tf.dispose([x, ...kept.values()])
    rows.dispose()
  }
}

async function probabilities(m: Extract<ToWorker, { type: 'probabilities' }>): Promise<void> {
  const s = need()
  loadWeights(s, m.weights)
  const loss = { sum: 0 }
  const { views, classCount } = s.model
  const p = await batchProbabilities(s.net, views, m.part, classCount, m.withLoss ? loss : undefined, m.counts)
  send({ type: 'probabilities', probabilities: p, lossSum: loss.sum }, [p.buffer as ArrayBuffer])
}

port.on('message', async (m: ToWorker) => {
  try {
    if (m.type === 'init') await init(m)
    else if (m.type === 'attach') attach(m)
    else if (m.type === 'gradients') await gradients(m)
    else if (m.type === 'probabilities') await probabilities(m)
  } catch (e) {
    // The others may be waiting for this worker's batch statistics: release them.
    if (m.type === 'gradients') state?.statistics?.abort()
    send({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      stack: e instanceof Error ? e.stack : undefined,
    })
  }
})
