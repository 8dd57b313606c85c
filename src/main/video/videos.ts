import type { Database } from 'better-sqlite3'
import type { VideoDetail, VideoSummary } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { PAPER_AUS } from '../../shared/labels'
import type { DatasetRow } from '../catalogue/catalogue-rows'
import { prepared } from '../db/statements'
import type { VideoRow } from './video-rows'

// The videos of the catalogue, and one video with its frames in order and its AU tracks.

type ListRow = Pick<VideoRow, 'id' | 'dataset_id' | 'path' | 'width' | 'height' | 'fps' | 'frames' | 'duration'> & {
  dataset: DatasetRow['name']
}

const LIST = `SELECT v.id, v.dataset_id, d.name AS dataset, v.path, v.width, v.height, v.fps, v.frames, v.duration
  FROM videos v JOIN datasets d ON d.id = v.dataset_id`

const summaryOf = (r: ListRow): VideoSummary => ({
  id: r.id,
  datasetId: r.dataset_id,
  dataset: r.dataset,
  path: r.path,
  width: r.width,
  height: r.height,
  fps: r.fps,
  frames: r.frames,
  duration: r.duration,
})

export const listVideos = (db: Database): VideoSummary[] =>
  prepared<ListRow>(db, `${LIST} ORDER BY d.name, v.path`).all().map(summaryOf)

export function requireVideo(db: Database, id: number, field = 'id'): VideoSummary {
  const row = prepared<ListRow>(db, `${LIST} WHERE v.id = ?`).get(id)
  if (!row) throw new WorkbenchError('not_found', `No video with id ${id} in this workspace.`, { field, id })
  return summaryOf(row)
}

/**
 * A video's tracks: the AUs its dataset annotates (DISFA's 12), or the paper's 11 AUs for a video
 * nobody has coded yet, plus any AU a coder has events for; in class order.
 */
export function auTracks(db: Database, video: VideoSummary): string[] {
  const codes = prepared<{ code: string; position: number }>(
    db,
    `SELECT c.code, c.position FROM classes c WHERE c.kind = 'au' AND (
       c.id IN (SELECT class_id FROM dataset_classes WHERE dataset_id = ?)
       OR c.id IN (SELECT class_id FROM au_events WHERE video_id = ?)
       OR (c.au_number IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM dataset_classes dc JOIN classes k ON k.id = dc.class_id WHERE dc.dataset_id = ? AND k.kind = 'au')))
     ORDER BY c.position`,
  ).all(video.datasetId, video.id, JSON.stringify(PAPER_AUS), video.datasetId)
  return codes.map((r) => r.code)
}

export function videoDetail(db: Database, id: number): VideoDetail {
  const video = requireVideo(db, id)
  // One item per frame on the timeline: a frame searched for faces can hold several (another
  // person, a stray detection); the view shows the frame of the first track (lowest face index),
  // the person followed from the start, so frames and timeline positions stay one to one.
  const frameIds = prepared<{ id: number }>(
    db,
    `SELECT id FROM images i WHERE video_id = ? AND NOT EXISTS (
       SELECT 1 FROM images j WHERE j.video_id = i.video_id AND j.frame = i.frame
         AND (COALESCE(j.face_index, 0) < COALESCE(i.face_index, 0)
           OR (COALESCE(j.face_index, 0) = COALESCE(i.face_index, 0) AND j.id < i.id)))
     ORDER BY frame`,
  )
    .all(id)
    .map((r) => r.id)
  return { ...video, frameIds, aus: auTracks(db, video) }
}
