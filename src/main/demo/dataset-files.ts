import { stringify } from 'csv-stringify/sync'
import type { Landmark } from '../../shared/faces'
import { faceLandmarks } from './face-landmarks'
import type { DatasetPlan } from './plan'

// The text files beside a demo dataset's images: labels.csv, what the catalogue imports (the
// workbench's generic CSV format), truth.json, what only evaluations read, and landmarks.json,
// every face's 68 landmarks, which the demo workspace stores with its faces as the face finder's are.

/** `path,split,<class codes...>`; cells 1 / 0 / empty for present / absent / unknown. */
export function labelsCsv(plan: DatasetPlan): string {
  const columns = ['path', 'split', ...plan.classCodes]
  const rows = plan.faces.map((f) => [f.path, f.split, ...plan.classCodes.map((c) => f.labels[c] ?? '')])
  return stringify(rows, { header: true, columns })
}

export interface TruthImage {
  split: string
  /** Every AU the face shows, FACS number -> intensity 1..5, including AUs the labels do not have. */
  aus: Record<string, number>
  emotion: string | null
  compound: string | null
  /** AUs labelled unknown in labels.csv because an occluder covers them. */
  occluded: number[]
  nuisance: unknown
}

export interface TruthFile {
  dataset: string
  generator: string
  seed: number
  imageSize: number
  note: string
  images: Record<string, TruthImage>
}

/** v2: faces framed forehead to chin (FRAME), livelier expressions, a larger AU set, SFEW-like emotion split. */
export const GENERATOR = 'affect-workbench demo faces v2'

export function truthJson(plan: DatasetPlan, seed: number, imageSize: number): string {
  const images: Record<string, TruthImage> = {}
  for (const f of plan.faces) {
    const aus: Record<string, number> = {}
    for (const [au, v] of Object.entries(f.face.aus).sort((a, b) => Number(a[0]) - Number(b[0])))
      if (v && v > 0) aus[au] = v
    images[f.path] = {
      split: f.split,
      aus,
      emotion: f.emotion,
      compound: f.compound,
      occluded: f.occluded,
      nuisance: f.face.nuisance,
    }
  }
  const file: TruthFile = {
    dataset: plan.name,
    generator: GENERATOR,
    seed,
    imageSize,
    note: 'Hidden truth of a generated dataset, keyed by image path relative to this folder: for evaluation only, never catalogue labels.',
    images,
  }
  return JSON.stringify(file, null, 1)
}

/** The demo's landmark file: what it holds (image path -> 68 [x, y] in image pixels, two decimals). */
export interface LandmarksFile {
  generator: string
  imageSize: number
  faces: Record<string, Landmark[]>
}

export function landmarksJson(plan: DatasetPlan, imageSize: number): string {
  const round = (v: number): number => Math.round(v * 100) / 100
  const faces: Record<string, Landmark[]> = {}
  for (const f of plan.faces) faces[f.path] = faceLandmarks(f.face, imageSize).map(([x, y]) => [round(x), round(y)])
  const file: LandmarksFile = { generator: GENERATOR, imageSize, faces }
  return JSON.stringify(file)
}
