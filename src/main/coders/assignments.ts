import type { Database } from 'better-sqlite3'
import type { AssignmentArgs, AssignmentInfo, AssignmentProgress, CoderQueue } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { classIndex } from '../catalogue/classes'
import { isoTime } from '../catalogue/time'
import { prepared } from '../db/statements'
import { requireCoder, type CoderRow } from './coders'
import { stratifiedSample } from './stratified-sample'

// Assignments: "double-code N images (or P%) of dataset X by coders A and B". Every coder named gets
// the same sampled images as a queue. Everything is checked (dataset, coders, size) before the one
// transaction that writes the assignment and its queues.

interface AssignmentRow {
  id: number
  dataset: string
  seed: number
  images: number
  created_by: string
  created_at: number
}

/** Each image's stratum: its present emotion, or for images without one the number of AUs present. */
function strataOf(db: Database, datasetId: number): Map<number, string> {
  const classes = classIndex(db)
  const kinds = new Map(classes.list.map((c) => [classes.id(c.code), c]))
  const strata = new Map<number, string>()
  for (const id of prepared<{ id: number }>(db, 'SELECT id FROM images WHERE dataset_id = ? ORDER BY id').all(
    datasetId,
  ))
    strata.set(id.id, 'AUs 0')
  const present = prepared<{ image_id: number; class_id: number }>(
    db,
    'SELECT l.image_id, l.class_id FROM labels l JOIN images i ON i.id = l.image_id WHERE i.dataset_id = ? AND l.value = 1',
  ).all(datasetId)
  const aus = new Map<number, number>()
  const emotion = new Map<number, string>()
  for (const r of present) {
    const c = kinds.get(r.class_id)
    if (c?.kind === 'au') aus.set(r.image_id, (aus.get(r.image_id) ?? 0) + 1)
    else if (c?.kind === 'emotion') emotion.set(r.image_id, c.code)
  }
  for (const id of strata.keys()) strata.set(id, emotion.get(id) ?? `AUs ${Math.min(aus.get(id) ?? 0, 3)}`)
  return strata
}

function datasetOf(db: Database, name: string): { id: number; name: string } {
  const row = prepared<{ id: number; name: string }>(db, 'SELECT id, name FROM datasets WHERE name = ?').get(name)
  if (row) return row
  const known = prepared<{ name: string }>(db, 'SELECT name FROM datasets ORDER BY name')
    .all()
    .map((d) => d.name)
  throw new WorkbenchError(
    'not_found',
    `No dataset named "${name}" (dataset). Datasets: ${known.join(', ') || 'none'}.`,
    {
      field: 'dataset',
      name,
    },
  )
}

function checkedCoders(db: Database, names: string[]): CoderRow[] {
  const coders = names.map((name, n) => requireCoder(db, name, `coders[${n}]`))
  coders.forEach((c, n) => {
    if (c.revoked_at !== null)
      throw new WorkbenchError(
        'invalid_arguments',
        `Coder "${c.name}" (coders[${n}]) was revoked: assign someone else.`,
        {
          field: `coders[${n}]`,
          name: c.name,
        },
      )
    if (coders.findIndex((o) => o.id === c.id) !== n)
      throw new WorkbenchError('invalid_arguments', `Coder "${c.name}" is named twice (coders[${n}]).`, {
        field: `coders[${n}]`,
      })
  })
  return coders
}

export function createAssignment(
  db: Database,
  args: Required<Pick<AssignmentArgs, 'dataset' | 'coders'>> & AssignmentArgs,
  by: string,
  now = Date.now(),
): AssignmentInfo {
  const dataset = datasetOf(db, args.dataset)
  const coders = checkedCoders(db, args.coders)
  const strata = strataOf(db, dataset.id)
  if (!strata.size)
    throw new WorkbenchError('invalid_arguments', `Dataset "${dataset.name}" has no images to assign (dataset).`, {
      field: 'dataset',
    })
  const wanted = args.images ?? Math.max(1, Math.round(((args.percent ?? 0) * strata.size) / 100))
  if (wanted > strata.size)
    throw new WorkbenchError(
      'invalid_arguments',
      `Dataset "${dataset.name}" has ${strata.size} images; ${wanted} were asked (images).`,
      { field: 'images', available: strata.size },
    )
  const seed = args.seed ?? 1
  const sample = stratifiedSample(strata, wanted, seed)
  const id = db.transaction(() => {
    const { lastInsertRowid } = prepared(
      db,
      'INSERT INTO assignments (dataset_id, seed, images, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(dataset.id, seed, sample.length, by, now)
    const item = prepared(
      db,
      'INSERT INTO assignment_items (assignment_id, coder_id, image_id, position) VALUES (?, ?, ?, ?)',
    )
    for (const coder of coders)
      sample.forEach((imageId, position) => item.run(lastInsertRowid, coder.id, imageId, position))
    return Number(lastInsertRowid)
  })()
  return listAssignments(db).find((a) => a.id === id)!
}

function progressRows(db: Database, where: string, param: number): AssignmentProgress[] {
  return prepared<{
    assignment_id: number
    dataset: string
    coder: string
    total: number
    committed: number
    next: number | null
  }>(
    db,
    `SELECT ai.assignment_id, d.name AS dataset, c.name AS coder, count(*) AS total, count(ai.committed_at) AS committed,
      (SELECT image_id FROM assignment_items n WHERE n.assignment_id = ai.assignment_id AND n.coder_id = ai.coder_id
        AND n.committed_at IS NULL ORDER BY position LIMIT 1) AS next
    FROM assignment_items ai JOIN assignments a ON a.id = ai.assignment_id JOIN datasets d ON d.id = a.dataset_id
    JOIN coders c ON c.id = ai.coder_id WHERE ${where} = ? GROUP BY ai.assignment_id, ai.coder_id ORDER BY ai.assignment_id, c.id`,
  )
    .all(param)
    .map((r) => ({
      assignmentId: r.assignment_id,
      dataset: r.dataset,
      coder: r.coder,
      total: r.total,
      committed: r.committed,
      next: r.next,
    }))
}

export function listAssignments(db: Database): AssignmentInfo[] {
  return prepared<AssignmentRow>(
    db,
    'SELECT a.id, d.name AS dataset, a.seed, a.images, a.created_by, a.created_at FROM assignments a JOIN datasets d ON d.id = a.dataset_id ORDER BY a.id',
  )
    .all()
    .map((a) => ({
      id: a.id,
      dataset: a.dataset,
      seed: a.seed,
      images: a.images,
      createdBy: a.created_by,
      createdAt: isoTime(a.created_at),
      progress: progressRows(db, 'ai.assignment_id', a.id),
    }))
}

/** A coder's queue: their assigned images in order (assignment, then position), with progress. */
export function coderQueue(db: Database, coder: CoderRow): CoderQueue {
  const items = prepared<{ assignment_id: number; image_id: number; position: number; committed_at: number | null }>(
    db,
    'SELECT assignment_id, image_id, position, committed_at FROM assignment_items WHERE coder_id = ? ORDER BY assignment_id, position',
  )
    .all(coder.id)
    .map((r) => ({
      assignmentId: r.assignment_id,
      imageId: r.image_id,
      position: r.position,
      committed: r.committed_at !== null,
    }))
  return { coder: coder.name, progress: progressRows(db, 'ai.coder_id', coder.id), items }
}
