import { WorkbenchError } from '../../../shared/errors'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'
import { deriveSeed, mulberry32, shuffleInPlace } from '../../../shared/random'
import type { SnapshotContent } from './snapshot'

// Few-shot training (the paper's Table 4: 15 compound faces per class): at most N training images
// per class of a dataset, the rest of its training images left out of the run. A class is one of
// the dataset's emotions or compound emotions (one per face); an image counts under the first it
// is labelled with. The choice depends only on the run's seed, the dataset's name, the class and
// the image ids, so two networks of one seed (Table 4's single and SJMT) train on the same faces
// whatever other datasets they pool. Validation and test images are never touched.

/** Per dataset name, at most how many training images of each class are kept. */
export type PerClassLimit = Readonly<Record<string, number>>

const isCategorical = (kind: string): boolean => kind === 'emotion' || kind === 'compound'

/** FNV-1a: a stable number for a name, so a class draws the same stream in any label layout. */
function nameHash(name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The training rows of one dataset kept by the limit, grouped and chosen per class. */
function keptTrainingRows(content: SnapshotContent, dataset: string, perClass: number, seed: number): Set<number> {
  const k = content.datasets.findIndex((d) => d.name === dataset)
  if (k < 0)
    throw new WorkbenchError(
      'invalid_arguments',
      `perClassLimit: dataset "${dataset}" is not one this run trains on (it trains on ${content.datasets.map((d) => d.name).join(', ')}).`,
      { field: 'perClassLimit', dataset },
    )
  const n = content.classes.length
  const columns = content.classes.flatMap((c, col) =>
    isCategorical(c.kind) && content.datasets[k].classCodes.includes(c.code) ? [col] : [],
  )
  if (!columns.length)
    throw new WorkbenchError(
      'invalid_arguments',
      `perClassLimit: dataset "${dataset}" has no emotions or compound emotions to count training images per class by.`,
      { field: 'perClassLimit', dataset },
    )
  const byClass = new Map<number, number[]>(columns.map((col) => [col, []]))
  content.images.forEach((img, row) => {
    if (img.datasetIndex !== k || img.split !== 'train') return
    const col = columns.find((c) => content.mask[row * n + c] === 1 && content.labels[row * n + c] === 1)
    if (col !== undefined) byClass.get(col)!.push(row)
  })
  const kept = new Set<number>()
  for (const [col, rows] of byClass) {
    rows.sort((a, b) => content.images[a].id - content.images[b].id)
    const random = mulberry32(deriveSeed(seed, nameHash(dataset), nameHash(content.classes[col].code)))
    for (const row of shuffleInPlace(random, rows).slice(0, perClass)) kept.add(row)
  }
  return kept
}

/** The rows of a matrix (rows x width, row-major) at the given row indices. */
function takeRows<A extends Uint8Array | Float32Array>(matrix: A, width: number, rows: readonly number[]): A {
  const out = new (matrix.constructor as new (length: number) => A)(rows.length * width)
  rows.forEach((row, i) => out.set(matrix.subarray(row * width, (row + 1) * width), i * width))
  return out
}

/**
 * The snapshot content with, for each limited dataset, min(N, available) training images per class
 * (chosen by the seed) and none of its training images without a class; everything else unchanged.
 */
export function limitPerClass(content: SnapshotContent, limit: PerClassLimit, seed: number): SnapshotContent {
  const limited = Object.entries(limit)
  if (!limited.length) return content
  const names = new Set(limited.map(([name]) => name))
  const kept = new Set(limited.flatMap(([name, perClass]) => [...keptTrainingRows(content, name, perClass, seed)]))
  const rows = content.images.flatMap((img, row) => {
    const capped = img.split === 'train' && names.has(content.datasets[img.datasetIndex].name)
    return !capped || kept.has(row) ? [row] : []
  })
  const n = content.classes.length
  return {
    ...content,
    images: rows.map((row) => content.images[row]),
    labels: takeRows(content.labels, n, rows),
    mask: takeRows(content.mask, n, rows),
    ...(content.landmarks
      ? {
          landmarks: {
            known: takeRows(content.landmarks.known, 1, rows),
            points: takeRows(content.landmarks.points, LANDMARK_VALUES, rows),
          },
        }
      : {}),
  }
}
