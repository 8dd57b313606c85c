import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { auNumberOf } from '../../shared/labels'
import { perClassScores } from '../../shared/metrics/per-class'
import { meanOf, type Predictions } from '../../shared/metrics/types'
import type { RunEvaluation } from '../../shared/contract'
import type { PredictedImage } from '../runs/run-predictions'

interface TruthFile {
  images: Record<string, { aus: Record<string, number> }>
}

/** The generator's truth.json beside a demo dataset's labels, or null for real datasets. */
function readTruth(root: string, cache: Map<string, TruthFile | null>): TruthFile | null {
  if (!cache.has(root)) {
    const file = join(root, 'truth.json')
    cache.set(root, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TruthFile) : null)
  }
  return cache.get(root)!
}

/** Reads the AUs the generator drew for an image (AU number -> intensity), null when its dataset has no truth; files are read once. */
export function truthReader(): (img: Pick<PredictedImage, 'root' | 'path'>) => Record<string, number> | null {
  const cache = new Map<string, TruthFile | null>()
  return (img) => readTruth(img.root, cache)?.images[img.path]?.aus ?? null
}

/**
 * On generated data: scores the AUs predicted on emotion-only images (rows without any known AU
 * label) against the AUs the generator drew — what no real dataset can score (paper Fig. 2).
 */
export function hiddenTruthScores(
  p: Predictions,
  images: PredictedImage[],
  only?: readonly number[],
): RunEvaluation['hiddenTruth'] {
  const n = p.classes.length
  const auColumns = p.classes.map((c, i) => (c.kind === 'au' ? i : -1)).filter((i) => i >= 0)
  if (!auColumns.length) return null
  const cache = new Map<string, TruthFile | null>()
  const rows: number[] = []
  const labels = new Uint8Array(p.labels.length)
  const mask = new Uint8Array(p.mask.length)
  const allowed = only ? new Set(only) : null
  images.forEach((img, row) => {
    if (allowed && !allowed.has(row)) return
    const hasKnownAu = auColumns.some((c) => p.mask[row * n + c] === 1)
    const truth = readTruth(img.root, cache)?.images[img.path]
    if (hasKnownAu || !truth) return
    rows.push(row)
    for (const c of auColumns) {
      const au = auNumberOf(p.classes[c].code)!
      labels[row * n + c] = (truth.aus[String(au)] ?? 0) > 0 ? 1 : 0
      mask[row * n + c] = 1
    }
  })
  if (!rows.length) return null
  const scores = perClassScores({ ...p, labels, mask }, { rows }).filter((s) => s.kind === 'au')
  return {
    images: rows.length,
    auF1Mean: meanOf(scores.map((s) => s.f1)),
    auAccuracyMean: meanOf(scores.map((s) => s.accuracy)),
    perAu: scores.map((s) => ({ code: s.code, f1: s.f1, accuracy: s.accuracy, baseRate: s.baseRate })),
  }
}
