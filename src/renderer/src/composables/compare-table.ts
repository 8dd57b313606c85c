import type { DatasetSummary, RunEvaluation, RunSummary } from '@shared/contract'
import type { ClassKind, LabelClass } from '@shared/labels'
import type { EvaluationCoverage } from '@shared/metrics/coverage'

// Runs side by side in the layout of the paper's Tables 1 and 2: one row per run (method, network),
// one column per dataset and task (emotion accuracy; AU accuracy, eq. 3, with F1 and the base rate
// beside it because AU accuracy is mostly the base rate), each scored on that dataset's images only.

export type CompareTask = ClassKind | 'hidden'

export interface CompareColumn {
  key: string
  dataset: string
  task: CompareTask
  title: string
}

export interface CompareCell {
  /** The paper's figure: top-1 accuracy (emotion, compound) or mean per-AU accuracy (AUs); AU F1 on the hidden-truth column. */
  value: number | null
  f1?: number | null
  baseRate?: number | null
}

export interface CompareRow {
  run: RunSummary
  method: string
  cells: Record<string, CompareCell | null>
  /** Images of the split scored over the run's datasets, and those without a prediction; null before any evaluation. */
  coverage: EvaluationCoverage | null
}

/** Evaluations by run and dataset: key `${runId}:${dataset}`. */
export type EvaluationsByRun = Record<string, RunEvaluation | undefined>

export const evaluationKey = (runId: number, dataset: string): string => `${runId}:${dataset}`

const METHOD_WORDS: Record<string, string> = {
  sjmt: 'SJMT',
  multitask: 'classical multi-task',
  single: 'single network',
}

const TASK_WORDS: Record<CompareTask, string> = {
  emotion: 'emotion',
  au: 'AUs',
  compound: 'compound emotions',
  hidden: 'AUs vs hidden truth (F1)',
}

function kindsOf(dataset: DatasetSummary | undefined, classes: readonly LabelClass[]): Set<ClassKind> {
  return new Set((dataset?.classCodes ?? []).flatMap((code) => classes.find((c) => c.code === code)?.kind ?? []))
}

const mean = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null)
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null
}

function cellOf(task: CompareTask, e: RunEvaluation): CompareCell {
  if (task === 'emotion') return { value: e.emotionAccuracy }
  if (task === 'compound') return { value: e.compound?.accuracy ?? null }
  if (task === 'hidden') return { value: e.hiddenTruth?.auF1Mean ?? null }
  return {
    value: e.auAccuracyMean,
    f1: e.auF1Mean,
    baseRate: mean(e.perClass.filter((c) => c.kind === 'au' && c.support > 0).map((c) => c.baseRate)),
  }
}

/** The coverage of a run's per-dataset evaluations added up. */
function coverageOf(evaluations: (RunEvaluation | undefined)[]): EvaluationCoverage | null {
  const known = evaluations.filter((e): e is RunEvaluation => e !== undefined)
  if (!known.length) return null
  return known.reduce<EvaluationCoverage>(
    (sum, e) => ({
      datasets: [...sum.datasets, ...e.coverage.datasets],
      images: sum.images + e.coverage.images,
      scored: sum.scored + e.coverage.scored,
      unpredicted: sum.unpredicted + e.coverage.unpredicted,
    }),
    { datasets: [], images: 0, scored: 0, unpredicted: 0 },
  )
}

/** The comparison table: columns for every dataset and task of the runs, a row per run. */
export function compareTable(
  runs: readonly RunSummary[],
  datasets: readonly DatasetSummary[],
  classes: readonly LabelClass[],
  evaluations: EvaluationsByRun,
): { columns: CompareColumn[]; rows: CompareRow[] } {
  const names = [...new Set(runs.flatMap((r) => r.datasets))]
  const columns: CompareColumn[] = names.flatMap((name) => {
    const kinds = kindsOf(
      datasets.find((d) => d.name === name),
      classes,
    )
    const tasks: CompareTask[] = (['emotion', 'compound', 'au'] as const).filter((k) => kinds.has(k))
    // Emotion-only faces of generated data: their AUs are scored against the generator's truth.
    if (runs.some((r) => evaluations[evaluationKey(r.id, name)]?.hiddenTruth)) tasks.push('hidden')
    return tasks.map((task) => ({ key: `${name}:${task}`, dataset: name, task, title: `${name} ${TASK_WORDS[task]}` }))
  })
  const rows = runs.map((run) => ({
    run,
    method: METHOD_WORDS[run.method] ?? run.method,
    cells: Object.fromEntries(
      columns.map((c) => {
        const e = run.datasets.includes(c.dataset) ? evaluations[evaluationKey(run.id, c.dataset)] : undefined
        return [c.key, e ? cellOf(c.task, e) : null]
      }),
    ),
    coverage: coverageOf(run.datasets.map((name) => evaluations[evaluationKey(run.id, name)])),
  }))
  return { columns, rows }
}
