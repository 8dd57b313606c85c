import type { Database } from 'better-sqlite3'
import type { AuEvent, CodedSegment, VideoCoding } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { classIndex } from '../catalogue/classes'
import { prepared } from '../db/statements'
import { applyEventLabels } from './event-labels'
import type { AuEventRow, CodedSegmentRow } from './video-rows'
import { requireVideo } from './videos'

// A coder's AU events on a video (onset, apex, offset, apex intensity) and the segments they coded:
// stored, changed, deleted, each change followed by the frames' labels of that AU (event-labels.ts).

export interface EventInput {
  id?: number
  videoId: number
  code: string
  onset: number
  apex: number
  offset: number
  intensity: number | null
}

const eventOf = (r: AuEventRow, code: string): AuEvent => ({
  id: r.id,
  videoId: r.video_id,
  code,
  coder: r.coder,
  onset: r.onset,
  apex: r.apex,
  offset: r.offset,
  intensity: r.intensity,
})

export function videoCoding(db: Database, videoId: number, coder?: string): VideoCoding {
  requireVideo(db, videoId, 'videoId')
  const classes = classIndex(db)
  const who = coder ?? null
  const events = prepared<AuEventRow>(
    db,
    'SELECT * FROM au_events WHERE video_id = ? AND (? IS NULL OR coder = ?) ORDER BY onset, id',
  ).all(videoId, who, who)
  const segments = prepared<CodedSegmentRow>(
    db,
    'SELECT * FROM coded_segments WHERE video_id = ? AND (? IS NULL OR coder = ?) ORDER BY first_frame, id',
  ).all(videoId, who, who)
  return {
    events: events.map((r) => eventOf(r, classes.code(r.class_id))),
    segments: segments.map((s) => ({
      id: s.id,
      videoId: s.video_id,
      code: classes.code(s.class_id),
      coder: s.coder,
      first: s.first_frame,
      last: s.last_frame,
    })),
  }
}

function auClass(db: Database, code: string): number {
  const classes = classIndex(db)
  const id = classes.id(code, 'code')
  if (!code.startsWith('AU')) throw new WorkbenchError('invalid_arguments', `${code} is not an AU.`, { field: 'code' })
  return id
}

function checkFrames(frames: number, e: { onset: number; offset: number }, path: string): void {
  if (e.offset > frames)
    throw new WorkbenchError('invalid_arguments', `Frame ${e.offset} is past the end of ${path} (${frames} frames).`, {
      field: 'offset',
      frames,
    })
}

/** Adds (no id) or changes an event of `coder`, then brings the AU's frame labels in line. */
export async function saveEvent(db: Database, input: EventInput, coder: string, now = Date.now()): Promise<AuEvent> {
  const video = requireVideo(db, input.videoId, 'videoId')
  checkFrames(video.frames, input, video.path)
  const classId = auClass(db, input.code)
  let id = input.id
  let before: { class_id: number } | undefined
  if (id !== undefined) {
    before = prepared<Pick<AuEventRow, 'class_id'>>(
      db,
      'SELECT class_id FROM au_events WHERE id = ? AND video_id = ? AND coder = ?',
    ).get(id, video.id, coder)
    if (!before) throw new WorkbenchError('not_found', `No event ${id} of ${coder} on this video.`, { field: 'id', id })
    prepared(
      db,
      'UPDATE au_events SET class_id = ?, onset = ?, apex = ?, offset = ?, intensity = ?, updated_at = ? WHERE id = ?',
    ).run(classId, input.onset, input.apex, input.offset, input.intensity, now, id)
  } else {
    id = Number(
      prepared(
        db,
        `INSERT INTO au_events (video_id, class_id, coder, onset, apex, offset, intensity, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(video.id, classId, coder, input.onset, input.apex, input.offset, input.intensity, now, now).lastInsertRowid,
    )
  }
  await applyEventLabels(db, video, classId, input.code, coder)
  if (before && before.class_id !== classId)
    await applyEventLabels(db, video, before.class_id, classIndex(db).code(before.class_id), coder)
  return eventOf(prepared<AuEventRow>(db, 'SELECT * FROM au_events WHERE id = ?').get(id)!, input.code)
}

export async function deleteEvent(db: Database, id: number, coder: string): Promise<{ deleted: boolean }> {
  const row = prepared<AuEventRow>(db, 'SELECT * FROM au_events WHERE id = ? AND coder = ?').get(id, coder)
  if (!row) return { deleted: false }
  prepared(db, 'DELETE FROM au_events WHERE id = ?').run(id)
  const video = requireVideo(db, row.video_id, 'id')
  await applyEventLabels(db, video, row.class_id, classIndex(db).code(row.class_id), coder)
  return { deleted: true }
}

export async function codeSegment(
  db: Database,
  input: { videoId: number; code: string; first: number; last: number },
  coder: string,
  now = Date.now(),
): Promise<CodedSegment> {
  const video = requireVideo(db, input.videoId, 'videoId')
  checkFrames(video.frames, { onset: input.first, offset: input.last }, video.path)
  const classId = auClass(db, input.code)
  const id = Number(
    prepared(
      db,
      `INSERT INTO coded_segments (video_id, class_id, coder, first_frame, last_frame, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(video.id, classId, coder, input.first, input.last, now).lastInsertRowid,
  )
  await applyEventLabels(db, video, classId, input.code, coder)
  return { id, videoId: video.id, code: input.code, coder, first: input.first, last: input.last }
}

/** A run's probability per frame (index frame - 1) for each AU it predicts on this video. */
export function videoPredictions(db: Database, videoId: number, runId: number): Record<string, (number | null)[]> {
  const video = requireVideo(db, videoId, 'videoId')
  const classes = classIndex(db)
  const out: Record<string, (number | null)[]> = {}
  const rows = prepared<{ frame: number; class_id: number; probability: number }>(
    db,
    `SELECT i.frame, p.class_id, p.probability FROM predictions p JOIN images i ON i.id = p.image_id
     JOIN classes c ON c.id = p.class_id WHERE p.run_id = ? AND i.video_id = ? AND c.kind = 'au'`,
  ).all(runId, videoId)
  for (const r of rows) {
    const code = classes.code(r.class_id)
    const curve = (out[code] ??= new Array<number | null>(video.frames).fill(null))
    curve[r.frame - 1] = r.probability
  }
  return out
}
