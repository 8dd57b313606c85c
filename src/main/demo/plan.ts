import type { Split } from '../../shared/contract'
import { auCode, PAPER_AUS, type ClassKind } from '../../shared/labels'
import { deriveSeed } from '../../shared/random'
import { sampleAuFace, sampleExpression } from './expression-sampler'
import type { AuIntensities, FaceParams } from './face-params'
import { occludedAus, sampleNuisance } from './nuisance-sampler'
import { compoundRecipes, DEMO_EMOTIONS, emotionRecipes, type Recipe } from './prototypes'
import { hashText, Sampler } from './sampler'

// What the three demo datasets contain, decided before any pixel is drawn: every face's AUs,
// emotion, nuisance, split and catalogue labels. Drawing all random numbers here, in order, is what
// makes the output the same for a seed however the rendering is scheduled.

export type DemoSize = 'small' | 'medium' | 'large'
export type DemoDatasetName = 'demo-emotion' | 'demo-au' | 'demo-compound'

/**
 * Faces per class (emotion, compound) or in all (AU). small ~330, medium ~3,030, large ~30,300.
 * As in the paper (958 SFEW faces, 25,000 EmotioNet), the AU set is the larger one in medium and
 * large: AUs are what the emotion set is short of, and with it SJMT beats a single emotion network
 * (`affect experiment paper`): with as many emotion faces as AU faces, a single emotion network
 * learns the 7 emotions alone and the shared AU data has nothing to add.
 */
export const DEMO_SIZES: Record<DemoSize, { emotionPerClass: number; auFaces: number; compoundPerClass: number }> = {
  small: { emotionPerClass: 20, auFaces: 120, compoundPerClass: 6 },
  medium: { emotionPerClass: 100, auFaces: 2000, compoundPerClass: 30 },
  large: { emotionPerClass: 1000, auFaces: 20000, compoundPerClass: 300 },
}

/** A catalogue label cell: 1 present, 0 absent, empty unknown. */
export type LabelCell = '1' | '0' | ''

export interface PlannedFace {
  /** Image path relative to the dataset's folder (and its labels.csv). */
  path: string
  split: Split
  face: FaceParams
  emotion: string | null
  compound: string | null
  /** AUs whose evidence is covered; labelled unknown. */
  occluded: number[]
  labels: Record<string, LabelCell>
}

export interface DatasetPlan {
  name: DemoDatasetName
  kind: ClassKind
  classCodes: string[]
  faces: PlannedFace[]
}

const PAPER_AU_CODES = PAPER_AUS.map(auCode)

/** Shares of a dataset's faces held out for validation and test; the rest is for training. */
export interface SplitShares {
  val: number
  test: number
}

/** 70 / 15 / 15: the AU and compound datasets. */
export const DEFAULT_SPLIT: SplitShares = { val: 0.15, test: 0.15 }

/**
 * 50 / 15 / 35: the emotion dataset is split like SFEW 2.0 in the paper (958 training faces, 436
 * held out for the test): few faces to learn emotions from, and enough to score them. Measured on
 * the medium demo (resnet-8, 1,200 steps): split 70 / 15 / 15, a single emotion network and SJMT
 * both scored 81.0%; split 50 / 15 / 35, single 66.9% and SJMT 76.7%, as the paper found.
 */
export const EMOTION_SPLIT: SplitShares = { val: 0.15, test: 0.35 }

/** train / val / test counts for n faces. */
export function splitCounts(n: number, shares: SplitShares = DEFAULT_SPLIT): Record<Split, number> {
  const test = Math.round(n * shares.test)
  const val = Math.round(n * shares.val)
  return { train: n - val - test, val, test }
}

function splitOf(index: number, n: number, shares: SplitShares): Split {
  const c = splitCounts(n, shares)
  return index < c.train ? 'train' : index < c.train + c.val ? 'val' : 'test'
}

function auLabels(aus: AuIntensities, occluded: number[]): Record<string, LabelCell> {
  return Object.fromEntries(
    PAPER_AUS.map((au) => [auCode(au), occluded.includes(au) ? '' : (aus[au] ?? 0) > 0 ? '1' : '0']),
  )
}

const oneHot = (codes: readonly string[], on: string): Record<string, LabelCell> =>
  Object.fromEntries(codes.map((c) => [c, c === on ? '1' : '0']))

interface Draft {
  split: Split
  aus: AuIntensities
  emotion: string | null
  compound: string | null
  s: Sampler
}

/** Gives the faces their file names in a shuffled order, so that names say nothing of the class. */
function finish(
  name: DemoDatasetName,
  kind: DatasetPlan['kind'],
  classCodes: string[],
  drafts: Draft[],
  s: Sampler,
): DatasetPlan {
  s.shuffle(drafts)
  const faces = drafts.map((d, i): PlannedFace => {
    const nuisance = sampleNuisance(d.s)
    const occluded = occludedAus(nuisance)
    const labels =
      kind === 'emotion'
        ? oneHot(classCodes, d.emotion ?? '')
        : kind === 'au'
          ? auLabels(d.aus, occluded)
          : {
              ...oneHot(
                classCodes.filter((c) => !PAPER_AU_CODES.includes(c)),
                d.compound ?? '',
              ),
              ...auLabels(d.aus, occluded),
            }
    return {
      path: `images/${String(i + 1).padStart(6, '0')}.png`,
      split: d.split,
      face: { aus: d.aus, nuisance },
      emotion: d.emotion,
      compound: d.compound,
      occluded,
      labels,
    }
  })
  return { name, kind, classCodes, faces }
}

/** Draws one class's faces; each face gets its own stream for its nuisance. */
function classDrafts(
  count: number,
  recipe: Recipe,
  s: Sampler,
  tag: { emotion?: string; compound?: string },
  shares: SplitShares,
): Draft[] {
  return Array.from({ length: count }, (_, i) => ({
    split: splitOf(i, count, shares),
    aus: sampleExpression(recipe, s),
    emotion: tag.emotion ?? null,
    compound: tag.compound ?? null,
    s: new Sampler(s.seed()),
  }))
}

export function planDemo(seed: number, size: DemoSize): DatasetPlan[] {
  const counts = DEMO_SIZES[size]
  if (!counts) throw new Error(`demo size must be small, medium or large, not "${size}"`)
  const emotions = emotionRecipes()
  const compounds = compoundRecipes()
  const stream = (name: string): Sampler => new Sampler(deriveSeed(seed, hashText(name)))

  const se = stream('demo-emotion')
  const emotionDrafts = DEMO_EMOTIONS.flatMap((e) =>
    classDrafts(counts.emotionPerClass, emotions[e], se, { emotion: e }, EMOTION_SPLIT),
  )

  const sa = stream('demo-au')
  const expressive = DEMO_EMOTIONS.filter((e) => e !== 'neutral').map((e) => emotions[e])
  const auDrafts = Array.from({ length: counts.auFaces }, (): Draft => ({
    split: 'train',
    aus: sampleAuFace(sa, expressive, Object.values(compounds)),
    emotion: null,
    compound: null,
    s: new Sampler(sa.seed()),
  }))
  auDrafts.forEach((d, i) => (d.split = splitOf(i, auDrafts.length, DEFAULT_SPLIT)))

  const sc = stream('demo-compound')
  const compoundCodes = Object.keys(compounds)
  const compoundDrafts = compoundCodes.flatMap((c) =>
    classDrafts(counts.compoundPerClass, compounds[c], sc, { compound: c }, DEFAULT_SPLIT),
  )

  return [
    finish('demo-emotion', 'emotion', [...DEMO_EMOTIONS], emotionDrafts, se),
    finish('demo-au', 'au', PAPER_AU_CODES, auDrafts, sa),
    finish('demo-compound', 'compound', [...compoundCodes, ...PAPER_AU_CODES], compoundDrafts, sc),
  ]
}
