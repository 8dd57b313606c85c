import { z } from 'zod'
import { BACKENDS, NETWORKS, TRAINING_METHODS } from '../run-config'
import { method } from './define'

// An experiment: the paper's comparison (Fig. 1 a-c, Tables 2 and 4) run as a protocol on the demo
// data, every method trained on several seeds and budgets, each method's learning rate chosen on
// the validation split first; results as means with 95% intervals over seeds and paired
// differences (issue 16). Kept in the workspace, so a stopped or crashed experiment resumes.

export const BUDGET_KINDS = ['steps', 'images'] as const
export type BudgetKind = (typeof BUDGET_KINDS)[number]

/**
 * Methods an experiment compares: the three training methods, and SJMT with the facial landmarks as
 * one more partially labelled task (the paper's future work; run config `landmarks`).
 */
export const EXPERIMENT_METHODS = [...TRAINING_METHODS, 'sjmt+landmarks'] as const
export type ExperimentMethod = (typeof EXPERIMENT_METHODS)[number]

/** Table 4's few-shot setting: the paper trains on 15 compound faces per class (160 images). */
export const DEFAULT_COMPOUND_PER_CLASS = 15

/** The paper's learning rate and the two that fit short budgets on the demo: the default search. */
export const DEFAULT_LEARNING_RATE_GRID = [0.05, 0.2, 0.4]

export const ExperimentProtocolSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    /** Training methods compared: single networks (Fig. 1a), classical multi-task (1b), SJMT (1c). */
    methods: z
      .array(z.enum(EXPERIMENT_METHODS))
      .min(1, 'choose at least one method')
      .default([...TRAINING_METHODS]),
    /** Training seeds per method (data order, initialisation, crops). */
    seeds: z.number().int().min(1, 'at least one seed is needed').max(50).default(5),
    firstSeed: z.number().int().min(0).max(1_000_000).default(1),
    /** Budgets, in steps of one joint network; several give a curve per metric. */
    budgets: z.array(z.number().int().min(1)).min(1, 'give at least one budget').max(8).default([1200]),
    /** steps: every network trains that many steps; images: every method sees the same number of images (the two single networks share them). */
    budgetKind: z.enum(BUDGET_KINDS).default('steps'),
    batchSize: z.number().int().min(1).max(4096).default(32),
    network: z.enum(NETWORKS).default('resnet-8'),
    /** Side of the network's input in pixels (32 as in the paper). */
    inputSize: z.number().int().min(8).max(512).default(32),
    /** Where the runs train (auto: the fastest that loads). */
    backend: z.enum(BACKENDS).default('auto'),
    /** Learning rates tried on the first seed, chosen on the validation split; one value skips the search. */
    learningRates: z.array(z.number().positive().max(10)).min(1).max(8).default(DEFAULT_LEARNING_RATE_GRID),
    /** Also the paper's Table 4: compound emotions from few examples, single network vs SJMT. */
    compound: z.boolean().default(false),
    /**
     * Table 4's networks train on at most this many demo-compound faces per compound emotion (chosen
     * by each run's seed; validation and test unchanged). null: every training face, as experiments
     * stored before this field did (store.ts reads a missing value as null).
     */
    compoundPerClass: z
      .number('give the number of compound training faces per class')
      .int('the number of compound training faces per class must be a whole number')
      .min(1, 'the number of compound training faces per class must be 1 or more')
      .nullable()
      .default(DEFAULT_COMPOUND_PER_CLASS),
    /** Weight of the landmark loss in the sjmt+landmarks runs (absent: the run config's default). */
    landmarkWeight: z.number().positive().max(1000).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.landmarkWeight !== undefined && !p.methods.includes('sjmt+landmarks'))
      ctx.addIssue({
        code: 'custom',
        path: ['landmarkWeight'],
        message:
          'a landmark weight applies to the sjmt+landmarks runs only: add sjmt+landmarks to the methods, or leave it out',
      })
    const single = p.methods.includes('single') || p.compound
    if (p.budgetKind !== 'images' || !single) return
    const small = p.budgets.find((b) => Math.floor(b / 2) < 1)
    if (small !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['budgets'],
        message: `a budget of ${small} step(s) of ${p.batchSize} images is too small: with --budget images the two single networks share it, and each needs at least one step (give 2 or more)`,
      })
  })
export type ExperimentProtocol = z.output<typeof ExperimentProtocolSchema>
export type ExperimentProtocolInput = z.input<typeof ExperimentProtocolSchema>

export const EXPERIMENT_STATUSES = ['running', 'stopping', 'stopped', 'finished', 'failed'] as const
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number]

/** The scores of one method on one seed and budget: what the table averages. */
export const EXPERIMENT_METRICS = [
  'emotionAccuracy',
  'meanPerClassAccuracy',
  'auAccuracy',
  'auF1',
  'auF1EmotionOnly',
  'fig2Error',
  'fig2Rank',
  'compoundMeanPerClassAccuracy',
  'compoundAccuracy',
  'landmarkNme',
] as const
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number]

/** Column titles in the user's words. */
export const EXPERIMENT_METRIC_TITLES: Record<ExperimentMetric, string> = {
  emotionAccuracy: 'emotion accuracy',
  meanPerClassAccuracy: 'mean per-class accuracy',
  auAccuracy: 'AU accuracy (eq. 3)',
  auF1: 'AU F1',
  auF1EmotionOnly: 'AU F1 on emotion-only faces',
  fig2Error: 'Fig. 2 error (mean absolute)',
  fig2Rank: 'Fig. 2 rank correlation',
  compoundMeanPerClassAccuracy: 'compound: mean per-class accuracy',
  compoundAccuracy: 'compound: accuracy over all images',
  landmarkNme: 'landmark NME (validation)',
}

/** A row of the results: Table 2 methods, and single-compound / sjmt-compound for Table 4. */
export const RESULT_METHODS = [
  'single',
  'multitask',
  'sjmt',
  'sjmt+landmarks',
  'single-compound',
  'sjmt-compound',
] as const
export type ResultMethod = (typeof RESULT_METHODS)[number]

export interface MetricSummary {
  mean: number
  /** 95% Student's t interval of the mean over seeds; [mean, mean] with one seed. */
  ci95: [number, number]
  /** Per seed, in seed order. */
  values: number[]
}

export interface ResultRow {
  method: ResultMethod
  budget: number
  /** Learning rate per network of the method (single: emotion and AU networks). */
  learningRates: Record<string, number | null>
  metrics: Partial<Record<ExperimentMetric, MetricSummary>>
}

export interface ResultDifference {
  a: ResultMethod
  b: ResultMethod
  budget: number
  metric: ExperimentMetric
  mean: number
  ci95: [number, number]
  values: number[]
}

/** One training run of the protocol (a network role on a seed and budget at one learning rate). */
export interface ExperimentJob {
  key: string
  role: string
  budget: number
  seed: number
  learningRate: number
  /** search: tried on the first seed to choose the learning rate; the chosen one counts as that seed's run. */
  search: boolean
  runId: number | null
  status: 'waiting' | 'running' | 'finished' | 'failed' | 'stopped'
  /** The validation score the learning rate was chosen on. */
  valScore: number | null
  seconds: number | null
}

export interface LearningRateChoice {
  role: string
  budget: number
  tried: { learningRate: number; valScore: number | null; runId: number | null }[]
  chosen: number | null
  /** What the validation score is, in words. */
  scoredOn: string
}

export interface ExperimentSummary {
  id: number
  name: string
  status: ExperimentStatus
  statusReason: string | null
  protocol: ExperimentProtocol
  /** Runs done and in all (the number known once learning rates are chosen). */
  done: number
  total: number
  /** Estimated seconds left, from the runs done so far; null before the first. */
  secondsLeft: number | null
  createdAt: string
  endedAt: string | null
}

export interface ExperimentDetail extends ExperimentSummary {
  jobs: ExperimentJob[]
  learningRates: LearningRateChoice[]
  rows: ResultRow[]
  differences: ResultDifference[]
}

const idSchema = z.object({ id: z.number().int().positive() }).strict()

export const experimentMethods = {
  'experiments.start': method<ExperimentSummary>()(
    z.object({ protocol: ExperimentProtocolSchema }).strict(),
    "Starts an experiment on the workspace's demo datasets: every method on every seed and budget, learning rates chosen on validation first.",
  ),
  'experiments.list': method<ExperimentSummary[]>()(z.object({}).strict(), 'Every experiment, newest first.'),
  'experiments.get': method<ExperimentDetail>()(
    idSchema,
    'One experiment with its runs, learning-rate search and results (means, intervals, paired differences).',
  ),
  'experiments.stop': method<ExperimentSummary>()(
    idSchema,
    'Stops an experiment: its current run checkpoints and stops.',
  ),
  'experiments.resume': method<ExperimentSummary>()(
    idSchema,
    'Resumes a stopped or interrupted experiment where it stopped: finished runs are kept, a stopped run continues from its checkpoint.',
  ),
} as const
