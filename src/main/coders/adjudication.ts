import type { Database } from 'better-sqlite3'
import type { AdjudicationResult, CodeChange, DisagreementItem } from '../../shared/contract'
import { classIndex } from '../catalogue/classes'
import { getImage, requireImage } from '../catalogue/images'
import { prepared, scalar } from '../db/statements'
import { ChoiceRules } from '../labels/choice-rules'
import { applyBatch, nextEditId } from '../labels/edit-apply'
import { requireCoder } from './coders'
import { codingsByCoder, codingsOfImage } from './coding-rows'
import { resolveCodes } from './save-codings'

// Adjudication (issue 14): the images where coders disagree, most disagreements first, with every
// coding side by side; the adjudicator sets the consensus with a reason. The decision is an
// ordinary label edit (label_events: old and new value, who, reason) plus a row in adjudications,
// in one transaction; the next training run's snapshot reads the consensus, so it trains on it.
// An image leaves the queue once adjudicated after its latest coding.

export interface DisagreementScope {
  dataset?: string
  coders?: string[]
}

const DISAGREEMENTS = `
  SELECT k.image_id, k.class_id FROM codings k JOIN images i ON i.id = k.image_id
  WHERE k.coder_id IN (SELECT value FROM json_each(@coders)) AND (@dataset IS NULL OR i.dataset_id = @dataset)
    AND NOT EXISTS (SELECT 1 FROM adjudications a WHERE a.image_id = k.image_id
      AND a.at >= (SELECT max(set_at) FROM codings WHERE image_id = k.image_id))
  GROUP BY k.image_id, k.class_id
  HAVING count(DISTINCT k.value) > 1 OR count(DISTINCT coalesce(k.intensity, 0)) > 1`

function scopeParams(db: Database, scope: DisagreementScope): { coders: string; dataset: number | null } {
  const coders = scope.coders?.length
    ? scope.coders.map((name, n) => requireCoder(db, name, `coders[${n}]`).id)
    : prepared<{ id: number }>(db, 'SELECT id FROM coders')
        .all()
        .map((r) => r.id)
  const dataset = scope.dataset
    ? (prepared<{ id: number }>(db, 'SELECT id FROM datasets WHERE name = ?').get(scope.dataset)?.id ?? -1)
    : null
  return { coders: JSON.stringify(coders), dataset }
}

/** A page of the adjudication queue: images with disagreeing codings, most disagreeing classes first. */
export function disagreementQueue(
  db: Database,
  scope: DisagreementScope,
  offset: number,
  limit: number,
): { total: number; items: DisagreementItem[] } {
  const params = scopeParams(db, scope)
  const total = scalar<number>(db, `SELECT count(DISTINCT image_id) FROM (${DISAGREEMENTS})`, params)
  const classes = classIndex(db)
  const rows = prepared<{ image_id: number; classes: string }>(
    db,
    `SELECT image_id, group_concat(class_id) AS classes FROM (${DISAGREEMENTS})
    GROUP BY image_id ORDER BY count(*) DESC, image_id LIMIT @limit OFFSET @offset`,
  ).all({ ...params, limit, offset })
  const items = rows.map((r): DisagreementItem => {
    const detail = getImage(db, r.image_id)
    const { labelDetails, history: _history, labelSpace: _space, ...image } = detail
    return {
      image: { ...image },
      disagreements: r.classes.split(',').map((id) => classes.code(Number(id))),
      codings: codingsByCoder(db, codingsOfImage(db, r.image_id)),
      consensus: labelDetails,
    }
  })
  return { total, items }
}

/** Classes of the image where some coder's code differs from the consensus. */
function differingFromConsensus(db: Database, imageId: number): string[] {
  const classes = classIndex(db)
  return prepared<{ class_id: number }>(
    db,
    `SELECT DISTINCT k.class_id FROM codings k LEFT JOIN labels l ON l.image_id = k.image_id AND l.class_id = k.class_id
    JOIN classes c ON c.id = k.class_id
    WHERE k.image_id = ? AND (l.value IS NULL OR l.value != k.value) ORDER BY c.position`,
  )
    .all(imageId)
    .map((r) => classes.code(r.class_id))
}

/** Sets the consensus of one image with a reason: one label edit and its adjudication row, together. */
export function adjudicate(
  db: Database,
  imageId: number,
  labels: CodeChange[],
  reason: string,
  by: string,
  now = Date.now(),
): AdjudicationResult {
  const image = requireImage(db, imageId, 'imageId')
  const wanted = resolveCodes(db, image.dataset_id, image.dataset, labels)
  return db.transaction((): AdjudicationResult => {
    const before = differingFromConsensus(db, imageId)
    const editId = nextEditId(db)
    const batch = [...wanted.values()].map((w) => ({ imageId, ...w }))
    const meta = {
      who: by,
      reason: `adjudication: ${reason}`,
      undoes: null,
      mode: 'choose' as const,
      what: 'The decision',
    }
    const changed = applyBatch(db, new ChoiceRules(db), editId, meta, batch, now)
    const { lastInsertRowid } = prepared(
      db,
      'INSERT INTO adjudications (image_id, edit_id, by, reason, at) VALUES (?, ?, ?, ?, ?)',
    ).run(imageId, changed ? editId : null, by, reason, now)
    return {
      adjudicationId: Number(lastInsertRowid),
      editId: changed ? editId : null,
      changed,
      before,
      after: differingFromConsensus(db, imageId),
    }
  })()
}
