import type { DatasetSummary } from '@shared/contract'
import type { ClassKind, LabelClass } from '@shared/labels'
import { RUN_CONFIG_HELP } from '@shared/run-config'

// The Train form's words: a label per run setting (the help line comes from RUN_CONFIG_HELP, next
// to the defaults in src/shared/run-config.ts) and a dataset's label space in a few words.

export type RunField = keyof typeof RUN_CONFIG_HELP

export const FIELD_LABELS: Record<RunField, string> = {
  method: 'Method',
  network: 'Network',
  datasets: 'Datasets',
  task: 'Task',
  inputSize: 'Input size (pixels)',
  channels: 'Colour channels',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  lrDecayRate: 'Learning rate decay factor',
  lrDecaySteps: 'Decay every (steps)',
  momentum: 'Momentum',
  weightDecay: 'Weight decay',
  steps: 'Steps',
  epochs: 'Epochs',
  'augmentation.pad': 'Padding (pixels)',
  'augmentation.randomCrop': 'Random crop',
  'augmentation.horizontalFlip': 'Horizontal flip',
  'augmentation.noFlipIfLateralised': 'Never flip one-sided classes',
  seed: 'Seed',
  validateEvery: 'Validate every (steps)',
  checkpointEvery: 'Checkpoint every (steps)',
  initFrom: 'Initialise from run',
  backend: 'Backend',
  threads: 'CPU threads',
  landmarks: 'Also learn facial landmarks',
  landmarkWeight: 'Landmark loss weight',
  perClassLimit: 'Training images per class (few-shot)',
}

export const help = (field: RunField): string => RUN_CONFIG_HELP[field]

export const METHOD_NAMES: Record<string, string> = {
  sjmt: 'SJMT: one network, selective loss (paper)',
  multitask: 'Classical multi-task: one head per dataset',
  single: 'Single network on one dataset',
}

const KIND_WORDS: Record<ClassKind, [string, string]> = {
  emotion: ['emotion', 'emotions'],
  au: ['AU', 'AUs'],
  compound: ['compound emotion', 'compound emotions'],
}

/** "7 emotions, 11 AUs": what a dataset annotates. */
export function labelSpaceWords(dataset: Pick<DatasetSummary, 'classCodes'>, classes: readonly LabelClass[]): string {
  const kinds = new Map<ClassKind, number>()
  for (const code of dataset.classCodes) {
    const kind = classes.find((c) => c.code === code)?.kind
    if (kind) kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
  }
  if (!kinds.size) return 'no labels'
  return (['emotion', 'au', 'compound'] as ClassKind[])
    .filter((k) => kinds.has(k))
    .map((k) => `${kinds.get(k)} ${KIND_WORDS[k][kinds.get(k) === 1 ? 0 : 1]}`)
    .join(', ')
}

/** "140 images: 98 train, 21 val, 21 test". */
export const countWords = (d: Pick<DatasetSummary, 'images' | 'splits'>): string =>
  `${d.images.toLocaleString()} images: ${d.splits.train.toLocaleString()} train, ${d.splits.val.toLocaleString()} val, ${d.splits.test.toLocaleString()} test`
