import type { RunSummary } from '../../shared/contract'
import type { Workbench } from '../app/assemble'
import { waitForTrainer } from '../runs/runs-service'
import { call } from './call'
import { progressBar } from './progress'

/** Follows a run until its trainer exits: a progress bar, or JSON lines with --json. Ctrl+C stops the run. */
export async function followRun(wb: Workbench, run: RunSummary, json: boolean): Promise<RunSummary> {
  const bar = progressBar(`Run ${run.id} ${run.method} ${run.network}`)
  const line = (value: unknown) => json && process.stdout.write(JSON.stringify(value) + '\n')
  const events = wb.ctx.events
  const offs = [
    events.on('run.progress', (progress) => {
      if (progress.runId !== run.id) return
      bar.update(
        progress.step,
        progress.totalSteps,
        `loss ${progress.loss.toFixed(4)} | ${progress.imagesPerSecond.toFixed(0)} img/s`,
      )
      line({ event: 'run.progress', ...progress })
    }),
    events.on('run.metrics', (metrics) => metrics.runId === run.id && line({ event: 'run.metrics', ...metrics })),
    events.on('run.log', (log) => {
      if (log.runId !== run.id) return
      // In words on stderr (what the trainer says: its workers and why, decoding, warnings); stdout stays for results.
      if (json) line({ event: 'run.log', ...log })
      else process.stderr.write(`${log.level === 'info' ? '' : `${log.level}: `}${log.message}\n`)
    }),
    events.on(
      'run.updated',
      ({ run: r }) =>
        r.id === run.id && line({ event: 'run.updated', status: r.status, backend: r.backend, reason: r.statusReason }),
    ),
  ]
  const stop = () => {
    if (wb.ctx.trainers.has(run.id)) void call(wb, 'runs.stop', { id: run.id }).catch(() => undefined)
  }
  process.once('SIGINT', stop)
  try {
    return await waitForTrainer(wb.ctx, run.id)
  } finally {
    process.off('SIGINT', stop)
    for (const off of offs) off()
    bar.stop()
  }
}

/** How a training run ended (train, resume); a failed run makes the exit code 1. */
export function printRunEnd(summary: RunSummary, json: boolean): void {
  if (json)
    process.stdout.write(
      JSON.stringify({
        runId: summary.id,
        status: summary.status,
        reason: summary.statusReason,
        step: summary.step,
        backend: summary.backend,
        bestScore: summary.bestScore,
        latest: summary.latest,
        seconds: summary.seconds,
      }) + '\n',
    )
  else
    console.log(
      `Run ${summary.id}: ${summary.status}${summary.statusReason ? ` (${summary.statusReason})` : ''} after ${summary.step} steps on ${summary.backend ?? '?'} in ${summary.seconds.toFixed(0)} s; best score ${summary.bestScore ?? '-'}`,
    )
  if (summary.status === 'failed') process.exitCode = 1
}
