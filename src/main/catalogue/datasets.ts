import type { Database } from 'better-sqlite3'
import type { AvailabilityMatrix, DatasetSummary, LabelCounts, Split } from '../../shared/contract'
import { prepared } from '../db/statements'
import { filePath } from '../workspace/stored-paths'
import type { DatasetClassRow, DatasetRow, ImageCountRow, LabelCountRow } from './catalogue-rows'
import { classIndex } from './classes'

/** The datasets with their label spaces and image counts per split. */
export function listDatasets(db: Database): DatasetSummary[] {
  const classes = classIndex(db)
  const rows = prepared<Pick<DatasetRow, 'id' | 'name' | 'format' | 'root' | 'multi_label'>>(
    db,
    'SELECT id, name, format, root, multi_label FROM datasets ORDER BY id',
  ).all()
  const spaces = prepared<DatasetClassRow>(
    db,
    'SELECT dc.dataset_id, dc.class_id FROM dataset_classes dc JOIN classes c ON c.id = dc.class_id ORDER BY c.position',
  ).all()
  const splits = prepared<Pick<ImageCountRow, 'dataset_id' | 'split' | 'n'>>(
    db,
    'SELECT dataset_id, split, sum(n) AS n FROM image_counts GROUP BY dataset_id, split',
  ).all()
  return rows.map(({ multi_label, ...d }) => {
    const counts: Record<Split, number> = { train: 0, val: 0, test: 0 }
    for (const s of splits) if (s.dataset_id === d.id) counts[s.split] = s.n
    return {
      ...d,
      root: filePath(db, d.root),
      classCodes: spaces.filter((s) => s.dataset_id === d.id).map((s) => classes.code(s.class_id)),
      multiLabel: multi_label === 1,
      images: counts.train + counts.val + counts.test,
      splits: counts,
    }
  })
}

/**
 * Per dataset and class: images with the class present, absent, unknown. Lists the classes of the
 * dataset's label space and any other class that has labels in it (e.g. added by a coder).
 */
export function availability(db: Database): AvailabilityMatrix {
  const classes = classIndex(db)
  const datasets = listDatasets(db)
  const rows = prepared<Pick<LabelCountRow, 'dataset_id' | 'class_id'> & { present: number; absent: number }>(
    db,
    `SELECT dataset_id, class_id, coalesce(sum(CASE WHEN value = 1 THEN n END), 0) AS present, coalesce(sum(CASE WHEN value = 0 THEN n END), 0) AS absent
    FROM label_counts GROUP BY dataset_id, class_id HAVING present + absent > 0`,
  ).all()
  const order = new Map(classes.list.map((c, i) => [c.code, i]))
  return {
    datasets: datasets.map((d) => {
      const known = new Map(rows.filter((r) => r.dataset_id === d.id).map((r) => [classes.code(r.class_id), r]))
      const codes = [...new Set([...d.classCodes, ...known.keys()])].sort((a, b) => order.get(a)! - order.get(b)!)
      const labels: Record<string, LabelCounts> = {}
      for (const code of codes) {
        const r = known.get(code)
        const present = r?.present ?? 0
        const absent = r?.absent ?? 0
        labels[code] = { present, absent, unknown: d.images - present - absent }
      }
      return { id: d.id, name: d.name, images: d.images, labels }
    }),
  }
}
