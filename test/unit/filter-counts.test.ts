import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../src/shared/random'
import { openCatalogue } from '../../src/main/db/open'
import { countImages } from '../../src/main/catalogue/image-count'
import { classIndex } from '../../src/main/catalogue/classes'
import { seedClasses } from '../../src/main/workspace/seed-classes'
import { editSteps } from '../../src/main/labels/edit-writer'
import { runNow } from '../../src/main/db/paced'
import type { ImageQuery } from '../../src/shared/contract'
import { tempDir } from '../helpers/workbench'

// The counts behind fast filters are kept by triggers: after any mix of writes they must equal a recount.
describe('filter counts', () => {
  it('stay equal to a recount through imports, edits, review changes, split moves and deletions', () => {
    const db = openCatalogue(join(tempDir(), 'c.sqlite'))
    seedClasses(db)
    const classes = classIndex(db)
    const codes = ['happy', 'sad', 'AU12', 'AU6']
    const random = mulberry32(7)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]
    db.exec("INSERT INTO datasets (name, root, format, created_at) VALUES ('a', '/a', 'csv', 0), ('b', '/b', 'csv', 0)")
    const insertImage = db.prepare(
      'INSERT INTO images (dataset_id, path, sha256, width, height, split) VALUES (?, ?, ?, 1, 1, ?)',
    )
    const insertLabel = db.prepare(
      "INSERT OR IGNORE INTO labels (image_id, class_id, value, set_by, set_at) VALUES (?, ?, ?, 'x', 0)",
    )
    for (let i = 0; i < 300; i++) {
      const id = Number(
        insertImage.run(1 + (i % 2), `img/${i}.png`, `sha${i}`, pick(['train', 'val', 'test'])).lastInsertRowid,
      )
      for (const code of codes) if (random() < 0.6) insertLabel.run(id, classes.id(code), random() < 0.3 ? 1 : 0)
    }
    const deleted = new Set<number>()
    for (let k = 0; k < 400; k++) {
      const id = 1 + Math.floor(random() * 300)
      if (deleted.has(id)) continue
      const action = random()
      if (action < 0.5)
        runNow(
          editSteps(db, { who: 'ana', reason: '', undoes: null, mode: 'choose', what: '' }, [
            [{ imageId: id, classId: classes.id(pick(codes)), value: pick([0, 1, null] as const), intensity: null }],
          ]),
        )
      else if (action < 0.7)
        db.prepare('UPDATE images SET review_status = ? WHERE id = ?').run(
          pick(['to_review', 'verified', 'flagged']),
          id,
        )
      else if (action < 0.85)
        db.prepare('UPDATE images SET split = ? WHERE id = ?').run(pick(['train', 'val', 'test']), id)
      else if (action < 0.9) {
        db.prepare('DELETE FROM images WHERE id = ?').run(id)
        deleted.add(id)
      }
    }
    db.prepare("DELETE FROM datasets WHERE name = 'b'").run()

    const queries: ImageQuery[] = [
      {},
      { datasetIds: [1] },
      { splits: ['val'] },
      { review: ['flagged'] },
      { datasetIds: [1], splits: ['train', 'test'], review: ['to_review'] },
      ...codes.flatMap((code) =>
        (['present', 'absent', 'unknown'] as const).flatMap((state): ImageQuery[] => [
          { classes: [{ code, state }] },
          { datasetIds: [1], splits: ['test'], classes: [{ code, state }] },
        ]),
      ),
    ]
    for (const q of queries) {
      const slow = countImages(db, { ...q, pathContains: 'img' }, classes) // path text forces a row-by-row count
      expect(countImages(db, q, classes), JSON.stringify(q)).toBe(slow)
    }
    expect(db.prepare('SELECT count(*) AS n FROM label_counts WHERE n < 0').get()).toEqual({ n: 0 })
  })

  it('finds images by path text with the trigram index, literally', () => {
    const db = openCatalogue(join(tempDir(), 'p.sqlite'))
    seedClasses(db)
    db.exec("INSERT INTO datasets (name, root, format, created_at) VALUES ('a', '/a', 'csv', 0)")
    for (const p of ['S005/001/a.png', 'S005/002/b.png', 'x_%y.png', 'Happy/one.jpg'])
      db.prepare(
        "INSERT INTO images (dataset_id, path, sha256, width, height, split) VALUES (1, ?, ?, 1, 1, 'train')",
      ).run(p, p)
    const classes = classIndex(db)
    expect(countImages(db, { pathContains: 'S005/00' }, classes)).toBe(2)
    expect(countImages(db, { pathContains: '_%' }, classes)).toBe(1)
    expect(countImages(db, { pathContains: 'happy' }, classes)).toBe(1)
    expect(countImages(db, { pathContains: '"' }, classes)).toBe(0)
  })
})
