import * as tf from '@tensorflow/tfjs'
import { parentPort } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { buildNetwork, Network } from '../../network'
import { createTrainStep, TrainStep } from '../../optimiser/momentum-sgd'
import { activateWasm } from '../wasm'
import { FromWorker, Layout, slotSize, ToWorker } from './protocol'

/*
 * One data-parallel worker: its own wasm backend, its own copy of the network, one shard of each
 * batch. See protocol.ts for how gradients are averaged.
 */

type TargetsLoss = (logits: Record<string, tf.Tensor2D>, targets: Record<string, tf.Tensor>) => tf.Scalar

interface State {
  net: Network
  trainStep: TrainStep
  loss: TargetsLoss
  layout: Layout
  shared: Float32Array | null
  index: number
  workers: number
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
  const url = /^[a-z]+:\/\//i.test(m.loss.module) ? m.loss.module : pathToFileURL(m.loss.module).href
  const mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>
  const loss = mod[m.loss.exportName]
  if (typeof loss !== 'function')
    throw new Error(`loss module ${m.loss.module} has no function export '${m.loss.exportName}'`)
  const net = buildNetwork(m.spec)
  const layout: Layout = {
    trainable: [...net.trainable].map(([n, v]) => [n, v.size]),
    state: [...net.state].map(([n, v]) => [n, v.size]),
  }
  state = {
    net,
    trainStep: createTrainStep(net, { momentum: m.momentum }),
    loss: loss as TargetsLoss,
    layout,
    shared: null,
    index: m.index,
    workers: m.workers,
  }
  send({ type: 'ready', layout, backend: tf.getBackend() })
}

function attach(m: Extract<ToWorker, { type: 'attach' }>): void {
  const s = need()
  const shared = new Float32Array(m.shared)
  if (shared.length !== slotSize(s.layout) * s.workers) {
    throw new Error(
      `shared gradient buffer holds ${shared.length} floats, ${s.workers} workers of ${s.net.spec.arch} need ${slotSize(s.layout) * s.workers}`,
    )
  }
  s.shared = shared
  send({ type: 'ok' })
}

function sharedOf(s: State): Float32Array {
  if (!s.shared) throw new Error('data-parallel worker stepped before its gradient buffer was attached')
  return s.shared
}

async function step(m: Extract<ToWorker, { type: 'step' }>): Promise<void> {
  const s = need()
  const t0 = performance.now()
  const x = tf.tensor4d(m.x.data, m.x.shape as [number, number, number, number])
  const targets: Record<string, tf.Tensor> = {}
  for (const [k, v] of Object.entries(m.targets)) targets[k] = tf.tensor(v.data, v.shape)
  try {
    const { loss, grads } = await s.trainStep.gradients(x, (logits) => s.loss(logits, targets))
    const shared = sharedOf(s)
    const base = s.index * slotSize(s.layout)
    let offset = base
    const flags: number[] = []
    for (const [name, n] of s.layout.trainable) {
      const g = grads.get(name)
      if (g) {
        shared.set(g.dataSync() as Float32Array, offset)
        g.dispose()
      } else {
        shared.fill(0, offset, offset + n)
      }
      flags.push(g ? 1 : 0)
      offset += n
    }
    for (const [name] of s.layout.state) {
      const v = s.net.state.get(name)!
      shared.set(v.dataSync() as Float32Array, offset)
      offset += v.size
    }
    shared.set(flags, offset)
    send({ type: 'gradients', loss, ms: performance.now() - t0 })
  } finally {
    tf.dispose([x, ...Object.values(targets)])
  }
}

/**
 * Per variable, the mean gradient over the workers that had one (and which variables had any), and
 * the mean batch-norm statistics; summed in slot order so every worker gets the same bits.
 */
function averaged(s: State): { values: Float32Array; updated: boolean[] } {
  const size = slotSize(s.layout)
  const shared = sharedOf(s)
  const vars = s.layout.trainable.length
  const flagsAt = size - vars
  const values = new Float32Array(flagsAt)
  const counts = new Array<number>(vars).fill(0)
  for (let w = 0; w < s.workers; w++) {
    const slot = shared.subarray(w * size, (w + 1) * size)
    for (let i = 0; i < flagsAt; i++) values[i] += slot[i]
    for (let v = 0; v < vars; v++) counts[v] += slot[flagsAt + v]
  }
  let offset = 0
  s.layout.trainable.forEach(([, n], v) => {
    const scale = counts[v] > 0 ? 1 / counts[v] : 0
    for (let i = offset; i < offset + n; i++) values[i] *= scale
    offset += n
  })
  const stateScale = 1 / s.workers
  for (let i = offset; i < flagsAt; i++) values[i] *= stateScale
  return { values, updated: counts.map((c) => c > 0) }
}

function apply(m: Extract<ToWorker, { type: 'apply' }>): void {
  const s = need()
  const { values, updated } = averaged(s)
  let offset = 0
  const grads = new Map<string, tf.Tensor>()
  s.layout.trainable.forEach(([name, n], v) => {
    if (updated[v]) grads.set(name, tf.tensor(values.subarray(offset, offset + n), s.net.trainable.get(name)!.shape))
    offset += n
  })
  try {
    s.trainStep.apply(grads, m.learningRate)
  } finally {
    tf.dispose([...grads.values()])
  }
  for (const [name, n] of s.layout.state) {
    const v = s.net.state.get(name)!
    tf.tidy(() => v.assign(tf.tensor(values.subarray(offset, offset + n), v.shape)))
    offset += n
  }
  send({ type: 'applied' })
}

function weights(): void {
  const s = need()
  const copy = (vars: Map<string, tf.Variable>): [string, Float32Array][] =>
    [...vars].map(([n, v]) => [n, Float32Array.from(v.dataSync() as Float32Array)])
  const trainable = copy(s.net.trainable)
  const st = copy(s.net.state)
  send(
    { type: 'weights', trainable, state: st },
    [...trainable, ...st].map(([, a]) => a.buffer as ArrayBuffer),
  )
}

function setWeights(m: Extract<ToWorker, { type: 'setWeights' }>): void {
  const s = need()
  const assign = (vars: Map<string, tf.Variable>, values: [string, Float32Array][]) => {
    for (const [name, data] of values) {
      const v = vars.get(name)
      if (!v) throw new Error(`setWeights: the network has no variable '${name}'`)
      if (v.size !== data.length) throw new Error(`setWeights: '${name}' has ${v.size} values, got ${data.length}`)
      tf.tidy(() => v.assign(tf.tensor(data, v.shape)))
    }
  }
  assign(s.net.trainable, m.trainable)
  assign(s.net.state, m.state)
  send({ type: 'ok' })
}

port.on('message', async (m: ToWorker) => {
  try {
    if (m.type === 'init') await init(m)
    else if (m.type === 'attach') attach(m)
    else if (m.type === 'step') await step(m)
    else if (m.type === 'apply') apply(m)
    else if (m.type === 'getWeights') weights()
    else if (m.type === 'setWeights') setWeights(m)
  } catch (e) {
    send({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      stack: e instanceof Error ? e.stack : undefined,
    })
  }
})
