import type { Database } from 'better-sqlite3'
import type { EditResult, LabelChange } from '../../shared/contract'
import { prepared } from '../db/statements'
import { editLabels } from '../labels/edits'
import type { ImageRow } from '../catalogue/catalogue-rows'
import type { LabelRow } from '../labels/label-rows'
import type { AuEventRow, CodedSegmentRow } from './video-rows'

// The frames' labels of one AU follow from a coder's events and coded segments: present (with the
// event's apex intensity) from onset to offset, absent where the coder coded the AU over a segment
// without an event, unknown elsewhere. They are written as one ordinary label edit by the coder,
// so history and undo cover them. A label someone else set (an imported DISFA intensity, another
// coder) is only replaced where this coder's events say something; it is never made unknown.

type Desired = { value: 0 | 1; intensity: number | null } | null

function desiredLabels(
  frames: number[],
  events: Pick<AuEventRow, 'onset' | 'offset' | 'intensity'>[],
  segments: Pick<CodedSegmentRow, 'first_frame' | 'last_frame'>[],
): Map<number, Desired> {
  const out = new Map<number, Desired>()
  for (const frame of frames) {
    const event = events.find((e) => e.onset <= frame && frame <= e.offset)
    if (event) out.set(frame, { value: 1, intensity: event.intensity })
    else if (segments.some((s) => s.first_frame <= frame && frame <= s.last_frame))
      out.set(frame, { value: 0, intensity: null })
    else out.set(frame, null)
  }
  return out
}

/** Writes the labels of one AU on a video's frames from `coder`'s events and segments; null when nothing changed. */
export function applyEventLabels(
  db: Database,
  video: { id: number; path: string },
  classId: number,
  code: string,
  coder: string,
): Promise<EditResult> {
  const frames = prepared<Pick<ImageRow, 'id' | 'frame'>>(
    db,
    'SELECT id, frame FROM images WHERE video_id = ? ORDER BY frame',
  ).all(video.id)
  const events = prepared<Pick<AuEventRow, 'onset' | 'offset' | 'intensity'>>(
    db,
    'SELECT onset, offset, intensity FROM au_events WHERE video_id = ? AND class_id = ? AND coder = ? ORDER BY onset',
  ).all(video.id, classId, coder)
  const segments = prepared<Pick<CodedSegmentRow, 'first_frame' | 'last_frame'>>(
    db,
    'SELECT first_frame, last_frame FROM coded_segments WHERE video_id = ? AND class_id = ? AND coder = ?',
  ).all(video.id, classId, coder)
  const current = new Map(
    prepared<Pick<LabelRow, 'image_id' | 'value' | 'intensity' | 'set_by'>>(
      db,
      `SELECT l.image_id, l.value, l.intensity, l.set_by FROM labels l JOIN images i ON i.id = l.image_id
       WHERE i.video_id = ? AND l.class_id = ?`,
    )
      .all(video.id, classId)
      .map((r) => [r.image_id, r]),
  )
  const desired = desiredLabels(
    frames.map((f) => f.frame!),
    events,
    segments,
  )
  const changes: LabelChange[] = []
  for (const f of frames) {
    const want = desired.get(f.frame!)!
    const now = current.get(f.id)
    if (want === null) {
      if (now && now.set_by === coder) changes.push({ imageId: f.id, code, value: null })
    } else if (!now || now.value !== want.value || (now.intensity ?? null) !== want.intensity)
      changes.push({ imageId: f.id, code, value: want.value, intensity: want.intensity })
  }
  return editLabels(db, changes, coder, `video coding: ${code} events on ${video.path}`)
}
