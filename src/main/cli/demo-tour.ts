import { join, resolve } from 'node:path'
import { RunConfigSchema, type RunConfigInput } from '../../shared/run-config'
import { exportPredictions } from '../export/predictions-csv'
import { call } from './call'
import { progressBar } from './progress'
import { withWorkspace } from './with-workspace'
import { printAuByEmotion } from './evaluation-table'
import { openApp } from './open-app'
import { followRun } from './follow-run'

export interface TourOptions {
  workspace: string
  size: 'small' | 'medium' | 'large'
  seed: number
  steps: number
  open: boolean
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(1)}%`)

/**
 * The tour's training run: a small network and batch, a few minutes on two cores, enough to see
 * SJMT learn both tasks. The paper's learning rate (0.05) is meant for 80,000 steps, and the SJMT
 * loss divides by the number of classes (eq. 1; 29 here), so its gradients are small: at 0.05 the
 * run had learnt next to nothing by step 1,200. 0.4, divided by 10 for the last quarter, is what
 * fits 1,200 steps (measured on the medium demo: emotion accuracy 34% at 0.05, 62% at 0.15, 75% at
 * 0.4 decayed; 0.8 was no better).
 */
export function tourTraining(steps: number): RunConfigInput {
  return {
    method: 'sjmt',
    network: 'resnet-8',
    batchSize: 32,
    steps,
    learningRate: 0.4,
    lrDecaySteps: Math.max(1, Math.round(steps * 0.75)),
    validateEvery: Math.max(50, Math.floor(steps / 5)),
    checkpointEvery: Math.max(50, Math.floor(steps / 5)),
  }
}

/**
 * The main job on the embedded demo data, end to end: demo workspace, a short SJMT run, its
 * evaluation (with the Fig. 2 table), a predictions CSV, then the workbench opened on it.
 */
export async function demoTour(options: TourOptions): Promise<void> {
  const workspace = resolve(options.workspace)
  await withWorkspace({}, async (wb) => {
    const bar = progressBar('Demo faces')
    const off = wb.ctx.events.on('demo.progress', (p) => bar.update(p.done, p.total, p.phase))
    const demo = await call(wb, 'demo.create', { path: workspace, size: options.size, seed: options.seed })
    off()
    bar.stop()
    console.log(
      `1/4 Demo workspace ${demo.workspace.path}: ${demo.faces} faces in ${demo.reports.map((r) => r.dataset).join(', ')}`,
    )

    const config = RunConfigSchema.parse({ ...tourTraining(options.steps), seed: options.seed })
    const run = await call(wb, 'runs.start', { config, name: 'demo: SJMT resnet-8' })
    console.log(
      `2/4 Training run ${run.id}: SJMT, resnet-8, ${options.steps} steps of 32 images on ${run.trainImages} training faces (learning rate ${config.learningRate}, then ${Number((config.learningRate * config.lrDecayRate).toPrecision(3))} from step ${config.lrDecaySteps})`,
    )
    const finished = await followRun(wb, run, false)
    if (finished.status !== 'finished')
      throw new Error(`run ${run.id} ${finished.status}: ${finished.statusReason ?? ''}`)
    console.log(`    finished on ${finished.backend} in ${finished.seconds.toFixed(0)} s`)

    const e = await call(wb, 'runs.evaluate', { id: run.id, split: 'test' })
    console.log(
      `3/4 Test split: emotion accuracy ${pct(e.emotionAccuracy)}, mean AU F1 ${pct(e.auF1Mean)} (AU accuracy ${pct(e.auAccuracyMean)})`,
    )
    if (e.hiddenTruth)
      console.log(
        `    AUs predicted on emotion-only faces vs the generator's truth: mean F1 ${pct(e.hiddenTruth.auF1Mean)} over ${e.hiddenTruth.images} faces`,
      )
    printAuByEmotion(e)

    const out = join(workspace, 'exports', `predictions-run-${run.id}.csv`)
    const { mkdirSync } = await import('node:fs')
    mkdirSync(join(workspace, 'exports'), { recursive: true })
    const exported = await exportPredictions(wb.ctx.requireWorkspace().db, run.id, out)
    console.log(`4/4 Predictions: ${exported.rows} rows in ${exported.file}`)
    if (options.open) await openApp(wb, workspace)
  })
}
