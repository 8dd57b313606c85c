import { pathToFileURL } from 'node:url'
import { mulberry32, randomInt } from '../src/shared/random'
import { classAgreement } from '../src/shared/statistics/agreement'
import { DEFAULT_RESAMPLES } from '../src/shared/statistics/bootstrap'
import { MISSING, type Codings } from '../src/shared/statistics/codings'
import { facsAgreementIndex } from '../src/shared/statistics/facs-agreement-index'

// Issue 14's speed target: agreement over 100,000 double-coded images x 40 classes in under 2 s,
// with every coefficient's bootstrap interval. The emotion (8 categories) and 39 AUs (present /
// absent), two coders who each disagree with a hidden truth 10% of the time and leave 3% of the
// codes unknown; then the FACS agreement index over the 39 AUs. Building the codings is not timed
// (the catalogue hands them over as typed arrays); computing everything from them is.
// Run: npx tsx bench/agreement.ts [images] [classes]

export interface AgreementBenchOptions {
  images?: number
  classes?: number
  resamples?: number
  seed?: number
}

export interface AgreementBenchResult {
  images: number
  classes: number
  coders: number
  resamples: number
  /** Cohen, Fleiss, alpha and the per-class index with their intervals, for every class. */
  perClassSeconds: number
  /** The FACS agreement index over all AUs with its interval. */
  indexSeconds: number
  seconds: number
  /** CPU time of this process over the same span: the wall time without the other programs sharing the cores. */
  cpuSeconds: number
  targetSeconds: number
  /** Mean Cohen's kappa over the classes: a check that the numbers are sane (about 0.5 with these base rates and 10% errors). */
  meanKappa: number
}

const EMOTIONS = 8

/** One class coded by two coders: a truth drawn with the class's base rate, each coder 10% off, 3% unknown. */
function simulatedClass(
  random: () => number,
  images: number,
  categories: number,
  baseRate: number,
  label: string,
): Codings {
  const codes = new Int32Array(images * 2)
  for (let i = 0; i < images; i++) {
    const truth = categories === 2 ? (random() < baseRate ? 1 : 0) : randomInt(random, categories)
    for (let coder = 0; coder < 2; coder++) {
      const wrong = random() < 0.1
      const code = !wrong ? truth : categories === 2 ? 1 - truth : randomInt(random, categories)
      codes[i * 2 + coder] = random() < 0.03 ? MISSING : code
    }
  }
  return { items: images, coders: 2, categories, codes, label }
}

export function runAgreementBench(options: AgreementBenchOptions = {}): AgreementBenchResult {
  const images = options.images ?? 100_000
  const classes = options.classes ?? 40
  const resamples = options.resamples ?? DEFAULT_RESAMPLES
  const random = mulberry32(options.seed ?? 14)
  const codings = Array.from({ length: classes }, (_, c) =>
    c === 0
      ? simulatedClass(random, images, EMOTIONS, 0, 'emotion')
      : simulatedClass(random, images, 2, 0.02 + (0.4 * c) / classes, `AU${c}`),
  )
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  const perClass = codings.map((coded) => classAgreement(coded, { resamples }))
  const afterClasses = performance.now()
  facsAgreementIndex(codings.slice(1), { resamples })
  const end = performance.now()
  const cpu = process.cpuUsage(cpuStart)
  const kappas = perClass.map((a) => a.cohenKappa.value ?? 0)
  return {
    images,
    classes,
    coders: 2,
    resamples,
    perClassSeconds: (afterClasses - start) / 1000,
    indexSeconds: (end - afterClasses) / 1000,
    seconds: (end - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    targetSeconds: 2,
    meanKappa: kappas.reduce((a, b) => a + b, 0) / kappas.length,
  }
}

export function agreementBenchLines(r: AgreementBenchResult): string[] {
  return [
    `Agreement over ${r.images.toLocaleString('en')} double-coded images x ${r.classes} classes, ${r.resamples.toLocaleString('en')} bootstrap resamples: ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s; target < ${r.targetSeconds} s)`,
    `  per class (Cohen, Fleiss, Krippendorff, agreement index, intervals) ${r.perClassSeconds.toFixed(2)} s; FACS agreement index over all AUs ${r.indexSeconds.toFixed(2)} s; mean kappa ${r.meanKappa.toFixed(3)}`,
  ]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [images, classes] = process.argv.slice(2).map(Number)
  for (const line of agreementBenchLines(
    runAgreementBench({ images: images || undefined, classes: classes || undefined }),
  ))
    console.log(line)
}
