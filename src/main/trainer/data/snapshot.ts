import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import type { ClassKind } from '../../../shared/labels'
import type { Split } from '../../../shared/contract'
import type { RunConfig } from '../../../shared/run-config'
import { LANDMARK_VALUES } from '../../../shared/metrics/landmark-error'

// The frozen training set main hands the trainer: which images, in which split, and the label and
// mask matrices over the union label space at the moment the run started. Later label edits in the
// catalogue do not leak into a running (or resumed) run; the hash names exactly what was trained on.

export interface SnapshotClass {
  code: string
  kind: ClassKind
}
export interface SnapshotDataset {
  name: string
  classCodes: string[]
}
export interface SnapshotImage {
  id: number
  datasetIndex: number
  split: Split
  path: string
}

export interface TrainingSnapshot {
  /** The union label space, in column order of labels and mask. */
  classes: SnapshotClass[]
  /** Each dataset (domain) and the classes it annotates (its label space L^k). */
  datasets: SnapshotDataset[]
  /** One row per image, in row order of labels and mask. */
  images: SnapshotImage[]
  /** rows x N, row-major: 1 present, 0 absent (or unknown: see mask). */
  labels: Uint8Array
  /** rows x N, row-major: 1 where the label is known. */
  mask: Uint8Array
  /** The 68 facial landmarks, for a run that learns them (run config `landmarks`); absent otherwise. */
  landmarks?: SnapshotLandmarks
  /** sha256 of everything above (snapshotHash). */
  hash: string
}

export interface SnapshotLandmarks {
  /** rows x 136, row-major: x0, y0, x1, y1... as fractions of the crop the network sees (0 where unknown). */
  points: Float32Array
  /** One per row: 1 where the image's landmarks are known. */
  known: Uint8Array
}

export type SnapshotContent = Omit<TrainingSnapshot, 'hash'>

/** sha256 (hex) over classes, datasets, images, labels and mask, in that order. */
export function snapshotHash(content: SnapshotContent): string {
  const h = createHash('sha256')
  h.update(
    JSON.stringify({
      classes: content.classes,
      datasets: content.datasets,
      images: content.images.map((i) => [i.id, i.datasetIndex, i.split, i.path]),
    }),
  )
  h.update(content.labels)
  h.update(content.mask)
  // Only snapshots with landmarks hash them, so that every earlier snapshot keeps its hash (resume checks it).
  if (content.landmarks) {
    h.update(content.landmarks.known)
    h.update(
      new Uint8Array(
        content.landmarks.points.buffer,
        content.landmarks.points.byteOffset,
        content.landmarks.points.byteLength,
      ),
    )
  }
  return h.digest('hex')
}

/** Checks the content is consistent and seals it with its hash. */
export function makeSnapshot(content: SnapshotContent): TrainingSnapshot {
  checkSnapshot(content, 'training snapshot')
  return { ...content, hash: snapshotHash(content) }
}

function checkSnapshot(s: SnapshotContent, where: string): void {
  const n = s.classes.length
  const rows = s.images.length
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what}`)
  }
  if (s.labels.length !== rows * n)
    fail(`labels hold ${s.labels.length} values, expected ${rows} images x ${n} classes`)
  if (s.mask.length !== rows * n) fail(`mask holds ${s.mask.length} values, expected ${rows} images x ${n} classes`)
  const codes = new Set(s.classes.map((c) => c.code))
  if (codes.size !== n) fail('a class code appears twice in classes')
  for (const d of s.datasets) {
    const unknown = d.classCodes.find((c) => !codes.has(c))
    if (unknown !== undefined) fail(`dataset '${d.name}' annotates class '${unknown}', which is not in classes`)
  }
  s.images.forEach((img, row) => {
    if (!Number.isInteger(img.datasetIndex) || img.datasetIndex < 0 || img.datasetIndex >= s.datasets.length)
      fail(
        `image ${img.id} (row ${row}) has dataset index ${img.datasetIndex}, but there are ${s.datasets.length} datasets`,
      )
    if (img.split !== 'train' && img.split !== 'val' && img.split !== 'test')
      fail(`image ${img.id} (row ${row}) has split '${String(img.split)}'`)
  })
  for (let i = 0; i < rows * n; i++) {
    if (s.labels[i] > 1 || s.mask[i] > 1)
      fail(`row ${Math.floor(i / n)}, class '${s.classes[i % n].code}': labels and mask must be 0 or 1`)
  }
  if (s.landmarks) {
    if (s.landmarks.known.length !== rows)
      fail(`landmarks are known or not for ${s.landmarks.known.length} rows, expected ${rows} images`)
    if (s.landmarks.points.length !== rows * LANDMARK_VALUES)
      fail(`landmarks hold ${s.landmarks.points.length} values, expected ${rows} images x ${LANDMARK_VALUES}`)
    const bad = s.landmarks.points.findIndex((v) => !Number.isFinite(v))
    if (bad >= 0) fail(`image ${s.images[Math.floor(bad / LANDMARK_VALUES)].id} has a landmark that is not a number`)
  }
}

// ---- files: <base>.json (everything but the matrices) + <base>.bin (labels then mask bytes, then
// with landmarks: the known flags and the points as little-endian float32) ----

const FORMAT = 'affect-workbench/training-snapshot@1'

export const snapshotFiles = (base: string): { json: string; bin: string } => ({
  json: `${base}.json`,
  bin: `${base}.bin`,
})

/** Writes the snapshot as <base>.json + <base>.bin. */
export async function writeSnapshot(base: string, snapshot: TrainingSnapshot): Promise<void> {
  const files = snapshotFiles(base)
  const { labels, mask, landmarks, ...rest } = snapshot
  const points = landmarks
    ? new Uint8Array(landmarks.points.buffer, landmarks.points.byteOffset, landmarks.points.byteLength)
    : new Uint8Array(0)
  const known = landmarks?.known ?? new Uint8Array(0)
  const bin = new Uint8Array(labels.length + mask.length + known.length + points.length)
  bin.set(labels, 0)
  bin.set(mask, labels.length)
  bin.set(known, 2 * labels.length)
  bin.set(points, 2 * labels.length + known.length)
  await writeFile(files.bin, bin)
  const head = { format: FORMAT, rows: snapshot.images.length, ...rest, ...(landmarks ? { landmarks: true } : {}) }
  await writeFile(files.json, JSON.stringify(head))
}

/** Reads <base>.json + <base>.bin and checks them against the stored hash. */
export async function readSnapshot(base: string): Promise<TrainingSnapshot> {
  const files = snapshotFiles(base)
  const head = JSON.parse(await readFile(files.json, 'utf8')) as Omit<TrainingSnapshot, 'landmarks'> & {
    format?: string
    landmarks?: boolean
  }
  if (head.format !== FORMAT)
    throw new Error(`${files.json}: not a training snapshot (format '${String(head.format)}', expected '${FORMAT}')`)
  const bin = new Uint8Array(await readFile(files.bin))
  const rows = head.images.length
  const size = rows * head.classes.length
  const extra = head.landmarks ? rows + rows * LANDMARK_VALUES * 4 : 0
  if (bin.length !== 2 * size + extra)
    throw new Error(
      `${files.bin}: holds ${bin.length} bytes, expected ${2 * size + extra} (labels + mask of ${rows} images x ${head.classes.length} classes${head.landmarks ? ' + their landmarks' : ''})`,
    )
  const content: SnapshotContent = {
    classes: head.classes,
    datasets: head.datasets,
    images: head.images,
    labels: bin.slice(0, size),
    mask: bin.slice(size, 2 * size),
  }
  if (head.landmarks)
    content.landmarks = {
      known: bin.slice(2 * size, 2 * size + rows),
      points: new Float32Array(bin.slice(2 * size + rows).buffer),
    }
  checkSnapshot(content, files.json)
  const hash = snapshotHash(content)
  if (hash !== head.hash)
    throw new Error(
      `${files.json}: content does not match its hash (file damaged or edited): stored ${head.hash}, computed ${hash}`,
    )
  return { ...content, hash }
}

// ---- rows and columns ----

/** Row indices of the images in a split (optionally of one dataset). */
export function rowsOf(snapshot: Pick<TrainingSnapshot, 'images'>, split: Split, datasetIndex?: number): Int32Array {
  const rows: number[] = []
  snapshot.images.forEach((img, row) => {
    if (img.split === split && (datasetIndex === undefined || img.datasetIndex === datasetIndex)) rows.push(row)
  })
  return Int32Array.from(rows)
}

/** The labels and mask of some rows and columns, as rows.length x columns.length row-major matrices. */
export function sliceLabels(
  snapshot: Pick<TrainingSnapshot, 'labels' | 'mask' | 'classes'>,
  rows: ArrayLike<number>,
  columns: readonly number[],
): { labels: Uint8Array; mask: Uint8Array } {
  const n = snapshot.classes.length
  const k = columns.length
  const labels = new Uint8Array(rows.length * k)
  const mask = new Uint8Array(rows.length * k)
  for (let r = 0; r < rows.length; r++) {
    for (let j = 0; j < k; j++) {
      labels[r * k + j] = snapshot.labels[rows[r] * n + columns[j]]
      mask[r * k + j] = snapshot.mask[rows[r] * n + columns[j]]
    }
  }
  return { labels, mask }
}

// ---- per-method label views: what each output layer (head) of the network learns ----

/** One output layer of the network and the loss that trains it. */
export interface HeadView {
  /** Name of the output layer: 'union' (sjmt), 'single' (single), the dataset's name (multitask). */
  head: string
  /** Rows this head learns from: one dataset's images, or null for every dataset. */
  datasetIndex: number | null
  /** Union columns the head outputs, in output order (its width is columns.length). */
  columns: number[]
  /** Positions within the head trained with a softmax (mutually exclusive emotions / compounds). */
  softmax: number[]
  /** Positions within the head trained with a (selective) sigmoid cross-entropy. */
  sigmoid: number[]
}

const isCategorical = (kind: ClassKind): boolean => kind === 'emotion' || kind === 'compound'

/** The heads a run's network needs and what each learns, for the run's method. */
export function headViews(
  snapshot: Pick<TrainingSnapshot, 'classes' | 'datasets'>,
  config: Pick<RunConfig, 'method' | 'datasets' | 'task'>,
): HeadView[] {
  const datasetColumns = (d: SnapshotDataset): number[] =>
    snapshot.classes.flatMap((c, i) => (d.classCodes.includes(c.code) ? [i] : []))
  const split = (columns: number[]) => ({
    softmax: columns.flatMap((col, pos) => (isCategorical(snapshot.classes[col].kind) ? [pos] : [])),
    sigmoid: columns.flatMap((col, pos) => (isCategorical(snapshot.classes[col].kind) ? [] : [pos])),
  })
  if (config.method === 'sjmt') {
    const columns = snapshot.classes.map((_, i) => i)
    return [{ head: 'union', datasetIndex: null, columns, softmax: [], sigmoid: columns }]
  }
  if (config.method === 'multitask') {
    return snapshot.datasets.map((d, k) => {
      const columns = datasetColumns(d)
      return { head: d.name, datasetIndex: k, columns, ...split(columns) }
    })
  }
  const name = config.datasets[0]
  const k = snapshot.datasets.findIndex((d) => d.name === name)
  if (k < 0)
    throw new Error(
      `run config: dataset '${name}' of method single is not in the training snapshot (it has ${snapshot.datasets.map((d) => `'${d.name}'`).join(', ') || 'no datasets'})`,
    )
  const all = datasetColumns(snapshot.datasets[k])
  const parts = split(all)
  const task = config.task ?? (parts.softmax.length > 0 ? 'emotion' : 'au')
  const columns = (task === 'emotion' ? parts.softmax : parts.sigmoid).map((pos) => all[pos])
  if (columns.length === 0)
    throw new Error(
      `run config: dataset '${name}' annotates no ${task === 'emotion' ? 'emotions' : 'Action Units'}, so method single cannot learn task '${task}'`,
    )
  const positions = columns.map((_, pos) => pos)
  return [
    {
      head: 'single',
      datasetIndex: k,
      columns,
      softmax: task === 'emotion' ? positions : [],
      sigmoid: task === 'emotion' ? [] : positions,
    },
  ]
}
