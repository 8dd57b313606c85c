import type { Database } from 'better-sqlite3'
import { codesInWords, type ChoiceConflict, type ChoiceImage } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import type { ClassKind, LabelValue } from '../../shared/labels'
import { prepared } from '../db/statements'
import type { DatasetClassRow, DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { classIndex, type ClassIndex } from '../catalogue/classes'

// What the one-emotion rule (shared/contract/label-choice.ts) needs from the catalogue: each
// dataset's label space and whether it is multi-label, and which dataset an image belongs to.

interface DatasetRule {
  name: string
  space: string[]
  multiLabel: boolean
}

export class ChoiceRules {
  readonly classes: ClassIndex
  private readonly datasets = new Map<number, DatasetRule>()
  private readonly kinds: Map<number, ClassKind>

  constructor(private readonly db: Database) {
    this.classes = classIndex(db)
    this.kinds = new Map(this.classes.list.map((c) => [this.classes.id(c.code), c.kind]))
    for (const d of prepared<Pick<DatasetRow, 'id' | 'name' | 'multi_label'>>(
      db,
      'SELECT id, name, multi_label FROM datasets',
    ).all()) {
      this.datasets.set(d.id, { name: d.name, space: [], multiLabel: d.multi_label === 1 })
    }
    for (const r of prepared<DatasetClassRow>(
      db,
      'SELECT dc.dataset_id, dc.class_id FROM dataset_classes dc JOIN classes c ON c.id = dc.class_id ORDER BY c.position',
    ).all()) {
      this.datasets.get(r.dataset_id)?.space.push(this.classes.code(r.class_id))
    }
  }

  kindOf(classId: number): ClassKind | undefined {
    return this.kinds.get(classId)
  }

  /** Dataset id of each image (an image that no longer exists is missing from the map). */
  datasetsOf(imageIds: number[]): Map<number, number> {
    const rows = prepared<Pick<ImageRow, 'id' | 'dataset_id'>>(
      this.db,
      'SELECT id, dataset_id FROM images WHERE id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(imageIds))
    return new Map(rows.map((r) => [r.id, r.dataset_id]))
  }

  /** The image as the rule sees it. */
  image(id: number, datasetId: number, labels: Record<string, LabelValue>): ChoiceImage {
    const d = this.datasets.get(datasetId)
    return { id, labelSpace: d?.space ?? [], labels, multiLabel: d?.multiLabel ?? false }
  }

  datasetName(datasetId: number): string {
    return this.datasets.get(datasetId)?.name ?? `dataset ${datasetId}`
  }
}

const KIND_WORDS = { emotion: 'emotions', compound: 'compound emotions', au: 'AUs' } as const

/** Where a conflict came from, for the message: a change the caller sent, or an undo restoring a value. */
export type ConflictSource = { kind: 'edit'; fields: string[] } | { kind: 'restore'; what: string }

/** The error for two emotions (or compounds) present on one image, naming the image, the codes and why. */
export function choiceError(conflict: ChoiceConflict, dataset: string, source: ConflictSource): WorkbenchError {
  const codes = codesInWords(conflict.codes)
  const rule = `${KIND_WORDS[conflict.kind]} are one choice per image in dataset "${dataset}"`
  const details = { imageId: conflict.imageId, codes: conflict.codes, kind: conflict.kind, dataset }
  if (source.kind === 'edit') {
    const where = source.fields.length ? ` (${source.fields.join(', ')})` : ''
    return new WorkbenchError(
      'invalid_arguments',
      `Image ${conflict.imageId}: ${codes} set present in one edit${where}, but ${rule}: set one of them. Nothing was changed.`,
      { field: source.fields[0] ?? 'changes', ...details },
    )
  }
  return new WorkbenchError(
    'conflict',
    `${source.what} would leave image ${conflict.imageId} with ${codes.replace(/ are (both|all)$/, ' $1')} present, but ${rule} (another edit changed it since). Nothing was changed: set the emotion in the label view instead.`,
    details,
  )
}
