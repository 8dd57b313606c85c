import type { Database } from 'better-sqlite3'
import type { Split } from '../../src/shared/contract'
import type { LabelValue } from '../../src/shared/labels'
import { classIndex } from '../../src/main/catalogue/classes'

export interface FixtureDataset {
  name: string
  /** Source format (default csv); ferplus datasets are multi-label unless multiLabel says otherwise. */
  format?: string
  /** Several emotions may be present on one image. */
  multiLabel?: boolean
  classCodes: string[]
  images: { path: string; split?: Split; labels?: Record<string, LabelValue> }[]
}

/** Writes datasets, images and labels straight into a catalogue (for tests of queries and edits). */
export function seedCatalogue(db: Database, datasets: FixtureDataset[], root = '/data'): number[] {
  const classes = classIndex(db)
  const ids: number[] = []
  const image = db.prepare(
    'INSERT INTO images (dataset_id, path, sha256, width, height, split) VALUES (?, ?, ?, 48, 48, ?)',
  )
  const label = db.prepare(
    "INSERT INTO labels (image_id, class_id, value, set_by, set_at) VALUES (?, ?, ?, 'import', 0)",
  )
  db.transaction(() => {
    for (const d of datasets) {
      const multiLabel = d.multiLabel ?? d.format === 'ferplus'
      const datasetId = Number(
        db
          .prepare('INSERT INTO datasets (name, root, format, multi_label, created_at) VALUES (?, ?, ?, ?, 0)')
          .run(d.name, `${root}/${d.name}`, d.format ?? 'csv', multiLabel ? 1 : 0).lastInsertRowid,
      )
      for (const code of d.classCodes)
        db.prepare('INSERT INTO dataset_classes VALUES (?, ?)').run(datasetId, classes.id(code))
      for (const [n, one] of d.images.entries()) {
        const imageId = Number(
          image.run(datasetId, one.path, `${d.name}-${n}`.padEnd(64, '0'), one.split ?? 'train').lastInsertRowid,
        )
        ids.push(imageId)
        for (const [code, value] of Object.entries(one.labels ?? {})) label.run(imageId, classes.id(code), value)
      }
    }
  })()
  return ids
}
