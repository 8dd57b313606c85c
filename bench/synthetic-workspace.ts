import { join } from 'node:path'
import { Workspace } from '../src/main/workspace/workspace'
import { classIndex } from '../src/main/catalogue/classes'

/**
 * A workspace of synthetic catalogue rows shaped like the pooled datasets (emotion-only, AU-only,
 * compound), for scale tests and benchmarks of the grid. The image files do not exist: the grid
 * shows its placeholder for them, as for any image whose file went missing.
 */
export function buildSyntheticWorkspace(dir: string, images: number): { path: string; images: number } {
  const ws = Workspace.create(dir)
  try {
    const db = ws.db
    const classes = classIndex(db)
    const emotions = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'].map((c) => classes.id(c))
    const aus = [1, 2, 4, 5, 6, 9, 12, 17, 20, 25, 26].map((n) => classes.id(`AU${n}`))
    const compounds = ['happily_surprised', 'sadly_angry', 'fearfully_surprised'].map((c) => classes.id(c))
    const root = join(dir, 'missing-images')
    db.transaction(() => {
      const datasets: [string, number[]][] = [
        ['synthetic-emotion', emotions],
        ['synthetic-au', aus],
        ['synthetic-compound', [...aus, ...compounds]],
      ]
      for (const [name, space] of datasets) {
        const id = Number(
          db
            .prepare("INSERT INTO datasets (name, root, format, created_at) VALUES (?, ?, 'csv', ?)")
            .run(name, root, Date.now()).lastInsertRowid,
        )
        for (const c of space) db.prepare('INSERT INTO dataset_classes VALUES (?, ?)').run(id, c)
      }
      const image = db.prepare(
        'INSERT INTO images (id, dataset_id, path, sha256, width, height, split) VALUES (?, ?, ?, ?, 64, 64, ?)',
      )
      const label = db.prepare(
        "INSERT INTO labels (image_id, class_id, value, set_by, set_at) VALUES (?, ?, ?, 'synthetic', 0)",
      )
      let x = 12345
      const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 0x100000000
      for (let id = 1; id <= images; id++) {
        const dataset = id % 10 < 5 ? 1 : id % 10 < 9 ? 2 : 3
        const split = id % 10 === 0 ? 'test' : id % 10 === 1 ? 'val' : 'train'
        image.run(
          id,
          dataset,
          `d${dataset}/${String(id).padStart(7, '0')}.png`,
          id.toString(16).padStart(64, '0'),
          split,
        )
        if (dataset === 1) {
          const e = Math.floor(rand() * emotions.length)
          for (let k = 0; k < emotions.length; k++) label.run(id, emotions[k], k === e ? 1 : 0)
        } else {
          for (const au of aus) if (rand() > 0.05) label.run(id, au, rand() < 0.2 ? 1 : 0)
          if (dataset === 3) {
            const c = Math.floor(rand() * compounds.length)
            for (let k = 0; k < compounds.length; k++) label.run(id, compounds[k], k === c ? 1 : 0)
          }
        }
      }
    })()
    db.exec('ANALYZE')
    return { path: ws.path, images }
  } finally {
    ws.close()
  }
}
