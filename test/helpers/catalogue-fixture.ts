import type { Database } from 'better-sqlite3'
import type { Split } from '../../src/shared/contract'
import type { LabelValue } from '../../src/shared/labels'
import { classIndex } from '../../src/main/catalogue/classes'

export interface FixtureDataset {
  name: string
  classCodes: string[]
  images: { path: string; split?: Split; labels?: Record<string, LabelValue> }[]
}

/** Writes datasets, images and labels straight into a catalogue (for tests of queries and edits). */
export function seedCatalogue(db: Database, datasets: FixtureDataset[], root = '/data'): number[] {
  const classes = classIndex(db)
  const ids: number[] = []
  db.transaction(() => {
    for (const d of datasets) {
      const datasetId = Number(db.prepare("INSERT INTO datasets (name, root, format, created_at) VALUES (?, ?, 'csv', 0)").run(d.name, `${root}/${d.name}`).lastInsertRowid)
      for (const code of d.classCodes) db.prepare('INSERT INTO dataset_classes VALUES (?, ?)').run(datasetId, classes.id(code))
      for (const [n, image] of d.images.entries()) {
        const imageId = Number(db.prepare('INSERT INTO images (dataset_id, path, sha256, width, height, split) VALUES (?, ?, ?, 48, 48, ?)').run(datasetId, image.path, `${d.name}-${n}`.padEnd(64, '0'), image.split ?? 'train').lastInsertRowid)
        ids.push(imageId)
        for (const [code, value] of Object.entries(image.labels ?? {})) db.prepare("INSERT INTO labels (image_id, class_id, value, set_by, set_at) VALUES (?, ?, ?, 'import', 0)").run(imageId, classes.id(code), value)
      }
    }
  })()
  return ids
}
