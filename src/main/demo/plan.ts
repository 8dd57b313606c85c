import { auCode, PAPER_AUS } from '../../shared/labels'
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
export type Split = 'train' | 'val' | 'test'
export const SPLITS: readonly Split[] = ['train', 'val', 'test']

/** Faces per class (emotion, compound) or in all (AU). small ~330, medium ~3,050, large ~30,500. */
export const DEMO_SIZES: Record<DemoSize, { emotionPerClass: number; auFaces: number; compoundPerClass: number }> = {
  small: { emotionPerClass: 20, auFaces: 120, compoundPerClass: 6 },
  medium: { emotionPerClass: 200, auFaces: 1320, compoundPerClass: 30 },
  large: { emotionPerClass: 2000, auFaces: 13200, compoundPerClass: 300 },
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
  kind: 'emotion' | 'au' | 'compound'
  classCodes: string[]
  faces: PlannedFace[]
}

const PAPER_AU_CODES = PAPER_AUS.map(auCode)

/** train / val / test counts for n faces: 70 / 15 / 15. */
export function splitCounts(n: number): Record<Split, number> {
  const test = Math.round(n * 0.15)
  const val = Math.round(n * 0.15)
  return { train: n - val - test, val, test }
}

function splitOf(index: number, n: number): Split {
  const c = splitCounts(n)
  return index < c.train ? 'train' : index < c.train + c.val ? 'val' : 'test'
}

function auLabels(aus: AuIntensities, occluded: number[]): Record<string, LabelCell> {
  return Object.fromEntries(PAPER_AUS.map((au) => [auCode(au), occluded.includes(au) ? '' : (aus[au] ?? 0) > 0 ? '1' : '0']))
}

const oneHot = (codes: readonly string[], on: string): Record<string, LabelCell> =>
  Object.fromEntries(codes.map((c) => [c, c === on ? '1' : '0']))

interface Draft { split: Split; aus: AuIntensities; emotion: string | null; compound: string | null; s: Sampler }

/** Gives the faces their file names in a shuffled order, so that names say nothing of the class. */
function finish(name: DemoDatasetName, kind: DatasetPlan['kind'], classCodes: string[], drafts: Draft[], s: Sampler): DatasetPlan {
  s.shuffle(drafts)
  const faces = drafts.map((d, i): PlannedFace => {
    const nuisance = sampleNuisance(d.s)
    const occluded = occludedAus(nuisance)
    const labels =
      kind === 'emotion' ? oneHot(classCodes, d.emotion ?? '')
      : kind === 'au' ? auLabels(d.aus, occluded)
      : { ...oneHot(classCodes.filter((c) => !PAPER_AU_CODES.includes(c)), d.compound ?? ''), ...auLabels(d.aus, occluded) }
    return { path: `images/${String(i + 1).padStart(6, '0')}.png`, split: d.split, face: { aus: d.aus, nuisance }, emotion: d.emotion, compound: d.compound, occluded, labels }
  })
  return { name, kind, classCodes, faces }
}

/** Draws one class's faces; each face gets its own stream for its nuisance. */
function classDrafts(count: number, recipe: Recipe, s: Sampler, tag: { emotion?: string; compound?: string }): Draft[] {
  return Array.from({ length: count }, (_, i) => ({
    split: splitOf(i, count),
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
  const emotionDrafts = DEMO_EMOTIONS.flatMap((e) => classDrafts(counts.emotionPerClass, emotions[e], se, { emotion: e }))

  const sa = stream('demo-au')
  const expressive = DEMO_EMOTIONS.filter((e) => e !== 'neutral').map((e) => emotions[e])
  const auDrafts = Array.from({ length: counts.auFaces }, (): Draft => ({
    split: 'train', aus: sampleAuFace(sa, expressive, Object.values(compounds)), emotion: null, compound: null, s: new Sampler(sa.seed()),
  }))
  auDrafts.forEach((d, i) => (d.split = splitOf(i, auDrafts.length)))

  const sc = stream('demo-compound')
  const compoundCodes = Object.keys(compounds)
  const compoundDrafts = compoundCodes.flatMap((c) => classDrafts(counts.compoundPerClass, compounds[c], sc, { compound: c }))

  return [
    finish('demo-emotion', 'emotion', [...DEMO_EMOTIONS], emotionDrafts, se),
    finish('demo-au', 'au', PAPER_AU_CODES, auDrafts, sa),
    finish('demo-compound', 'compound', [...compoundCodes, ...PAPER_AU_CODES], compoundDrafts, sc),
  ]
}
