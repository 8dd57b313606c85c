import { z } from 'zod'

// Every hyper-parameter of a training run in one place, defaults = the set-up of Pons & Masip
// (ResNet, batch 128, learning rate 0.05 decayed every 10,000 steps, 80,000 steps, pad + random
// crop, 32x32 input). Where the paper is silent the value is the usual one for CIFAR ResNets in
// TensorFlow (momentum 0.9, weight decay 2e-4, decay factor 0.1): the help text says so.

export const TRAINING_METHODS = ['single', 'multitask', 'sjmt'] as const
export type TrainingMethod = (typeof TRAINING_METHODS)[number]

export const NETWORKS = ['resnet-8', 'resnet-20', 'resnet-32', 'resnet-56', 'resnet-110', 'vgg-small'] as const
export type NetworkName = (typeof NETWORKS)[number]

export const BACKENDS = ['auto', 'gpu', 'webgpu', 'native', 'wasm', 'cpu'] as const
export type BackendChoice = (typeof BACKENDS)[number]

export const SINGLE_TASKS = ['emotion', 'au'] as const
export type SingleTask = (typeof SINGLE_TASKS)[number]

/**
 * The landmark loss is a mean squared error of coordinates as fractions of the crop, its head
 * starting at the training faces' mean shape. Weight 2, measured against 10 on the small demo (6
 * seeds, learning rate 0.4 from the experiments' search): AU F1 19 points higher [10, 28] on every
 * seed, where weight 10 sometimes left the network predicting no AU at all; emotion no different; the
 * landmarks themselves learnt less well (NME 0.163 against 0.147). At weight 40 the loss diverged in
 * three steps. docs/experiments.md, "Landmark weight 2 against 10".
 */
export const DEFAULT_LANDMARK_WEIGHT = 2

const count = (min = 1) => z.number().int().min(min)

/** Few-shot training: per dataset name, at most how many of its training images per class. */
export const PerClassLimitSchema = z.record(
  z.string().min(1, 'name the dataset the limit applies to'),
  z
    .number('give the number of training images per class')
    .int('the number of training images per class must be a whole number')
    .min(1, 'the number of training images per class must be 1 or more'),
)

export const AugmentationSchema = z.object({
  pad: count(0).max(64).default(4),
  randomCrop: z.boolean().default(true),
  horizontalFlip: z.boolean().default(false),
  noFlipIfLateralised: z.boolean().default(true),
})
export type Augmentation = z.infer<typeof AugmentationSchema>

export const RunConfigSchema = z
  .object({
    method: z.enum(TRAINING_METHODS).default('sjmt'),
    network: z.enum(NETWORKS).default('resnet-20'),
    datasets: z.array(z.string().min(1)).default([]),
    task: z.enum(SINGLE_TASKS).optional(),
    inputSize: count(8).max(512).default(32),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    batchSize: count(1).max(4096).default(128),
    learningRate: z.number().positive().max(10).default(0.05),
    lrDecayRate: z.number().positive().max(1).default(0.1),
    lrDecaySteps: count(1).default(10_000),
    momentum: z.number().min(0).max(0.999).default(0.9),
    weightDecay: z.number().min(0).max(1).default(2e-4),
    steps: count(1).default(80_000),
    epochs: count(1).optional(),
    augmentation: AugmentationSchema.prefault({}),
    seed: count(0).max(0xffffffff).default(1),
    validateEvery: count(1).default(1000),
    checkpointEvery: count(1).default(1000),
    initFrom: z
      .union([z.string().min(1), count(1)])
      .transform(String)
      .optional(),
    backend: z.enum(BACKENDS).default('auto'),
    /** CPU threads (data-parallel workers on wasm); absent = every core of the machine that trains. */
    threads: count(1).max(1024).optional(),
    /** The paper's future work: one more partially labelled task, the 68 facial landmarks, on the same trunk. */
    landmarks: z.boolean().default(false),
    /** Weight of the landmark loss beside the emotion and AU loss (which it leaves unchanged). */
    landmarkWeight: z.number().positive().max(1000).default(DEFAULT_LANDMARK_WEIGHT),
    /** Few-shot training (the paper's Table 4): at most N training images per class of a dataset, chosen by the seed. */
    perClassLimit: PerClassLimitSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.method === 'single' && c.datasets.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['datasets'],
        message: `method 'single' trains one network on one dataset: name exactly one in datasets (got ${c.datasets.length})`,
      })
    }
    if (c.task !== undefined && c.method !== 'single') {
      ctx.addIssue({
        code: 'custom',
        path: ['task'],
        message: `task only applies to method 'single' (method is '${c.method}')`,
      })
    }
    const strangers = Object.keys(c.perClassLimit ?? {}).filter((d) => c.datasets.length && !c.datasets.includes(d))
    if (strangers.length)
      ctx.addIssue({
        code: 'custom',
        path: ['perClassLimit'],
        message: `a per-class limit applies to a dataset the run trains on: ${strangers.join(', ')} is not in datasets (${c.datasets.join(', ')})`,
      })
  })

export type RunConfig = z.output<typeof RunConfigSchema>
/** What a caller may pass: every field optional, defaults filled by RunConfigSchema.parse. */
export type RunConfigInput = z.input<typeof RunConfigSchema>

/** The paper's set-up, as the Train form shows it before the user changes anything. */
export const defaultRunConfig = (): RunConfig => RunConfigSchema.parse({})

/** Steps the run lasts: `epochs` passes over the training images when set, otherwise `steps`. */
export function totalSteps(config: Pick<RunConfig, 'steps' | 'epochs' | 'batchSize'>, trainingImages: number): number {
  if (config.epochs === undefined) return config.steps
  return config.epochs * Math.max(1, Math.ceil(trainingImages / config.batchSize))
}

/** "at most 15 per class of demo-compound (chosen by seed 1)", or "every training image" without a limit. */
export function perClassLimitInWords(config: Pick<RunConfig, 'perClassLimit' | 'seed'>): string {
  const limits = Object.entries(config.perClassLimit ?? {})
  if (!limits.length) return 'every training image'
  const each = limits.map(([dataset, n]) => `at most ${n} per class of ${dataset}`).join(', ')
  return `${each} (chosen by seed ${config.seed})`
}

type Field = Exclude<keyof RunConfig, 'augmentation'> | `augmentation.${keyof Augmentation}`

/** One line per field in the user's words, shown beside the inputs of the Train form. */
export const RUN_CONFIG_HELP: Record<Field, string> = {
  method:
    "How the datasets are combined: sjmt = one network and one output per class, all datasets mixed in every batch, unknown labels ignored (the paper's method); multitask = shared network with one output layer per dataset, batches taking turns; single = one network for one dataset.",
  network:
    'The network architecture: CIFAR-style ResNets (deeper is slower; the paper uses ResNet-32 and ResNet-110) or a small VGG baseline.',
  datasets:
    'Datasets whose images are trained on; leave empty to use every dataset of the catalogue. Method single needs exactly one.',
  task: 'For method single on a dataset with both emotions and Action Units: which of the two the network learns (emotions: one label per image; AUs: each present or absent).',
  inputSize: 'Side of the square image fed to the network, in pixels (32 as in the paper, so CIFAR-10 weights fit).',
  channels: 'Colour channels fed to the network: 3 for colour, 1 for grey-scale.',
  batchSize: 'Images per training step (128 in the paper). Larger needs more memory.',
  learningRate: 'Step size of gradient descent at the start of training (0.05 in the paper).',
  lrDecayRate:
    'Factor the learning rate is multiplied by at each decay (0.1 = ten times smaller; the paper does not give it).',
  lrDecaySteps: 'Steps between two decays of the learning rate (10,000 in the paper); the rate drops in stairs.',
  momentum:
    'Momentum of stochastic gradient descent: how much of the previous step carries on (0.9 is usual; the paper does not give it).',
  weightDecay: 'Penalty on large weights that limits over-fitting (2e-4, usual for CIFAR ResNets; 0 turns it off).',
  steps: 'How many training steps the run lasts (80,000 in the paper). Ignored when epochs is set.',
  epochs: 'Optional: how many passes over all training images the run lasts, instead of a number of steps.',
  'augmentation.pad':
    'Pixels of black border added around each training image before it is cropped back to size (4 in the paper).',
  'augmentation.randomCrop':
    'Crop the padded image at a random position, so the face shifts by a few pixels each time it is seen.',
  'augmentation.horizontalFlip': 'Mirror half of the training images left to right.',
  'augmentation.noFlipIfLateralised':
    'Do not mirror when a class names a side of the face (e.g. a left-only AU), since mirroring would make its label wrong.',
  seed: 'Number that fixes the random choices (initial weights, order of images, crops); the same seed repeats the same run.',
  validateEvery: 'Steps between two evaluations on the validation images.',
  checkpointEvery: 'Steps between two saved checkpoints; a stopped or crashed run resumes from the last one.',
  initFrom:
    'Optional: a finished or stopped run whose weights the network starts from (the paper starts from a network trained on FER2013).',
  backend:
    'Where the computation runs: auto picks the fastest that loads; gpu = CUDA (tfjs-node-gpu), webgpu = any GPU through WebGPU (Vulkan, Metal, Direct3D 12), native = the CPU library (tfjs-node), wasm = WebAssembly, cpu = plain JavaScript (slowest).',
  landmarks:
    'Also learn where the 68 facial landmarks are (eyes, brows, nose, mouth, jaw), on faces whose landmarks are known (the face finder or the demo generator gave them); the others are left out of that loss, as unknown labels are.',
  landmarkWeight:
    'How much the landmark error counts beside the emotion and Action Unit loss (2 by default; the paper leaves landmarks to future work).',
  perClassLimit:
    "Few-shot training: at most this many training images per emotion (or compound emotion) of a dataset, chosen by the seed; its other training images are left out (the paper's Table 4 trains on 15 per class). Validation and test images are unchanged.",
  threads:
    'CPU cores the run trains on: each takes a share of every batch (WebAssembly), or TensorFlow spreads its work over them (native). Leave empty for every core; more than the machine has is capped.',
}
