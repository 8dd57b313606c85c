import type { Database } from 'better-sqlite3'
import { classIndex } from '../catalogue/classes'
import { prepared } from '../db/statements'
import { auTracks, listVideos } from '../video/videos'
import { CsvFile, type CsvCell } from './csv-file'
import {
  OPENFACE_FRAME_COLUMNS,
  openFaceAuColumns,
  openFaceFrameCells,
  type FrameFace,
  type KnownLabel,
} from './openface-layout'

// Video coding out, as CSV: the AU events in long form (one row per event), and the frames in
// OpenFace's layout (openface-layout.ts, as the labels export's `--columns openface` writes them)
// after the video's path, so a researcher can join our file with OpenFace's or Py-Feat's output on
// `frame`. A frame kept whole is one row (face_id 0) with the tracker's confidence and success left
// empty; a frame searched for faces gives one row per face, face_id its track through the video (the
// same person in every frame), confidence the detector's score, success 1.

export const EVENT_COLUMNS = [
  'video',
  'dataset',
  'coder',
  'au',
  'onset_frame',
  'apex_frame',
  'offset_frame',
  'onset_s',
  'apex_s',
  'offset_s',
  'intensity',
  'intensity_letter',
]

const LETTERS = ['', 'A', 'B', 'C', 'D', 'E']

const seconds = (t: number | null | undefined): CsvCell => (t === null || t === undefined ? '' : Number(t.toFixed(4)))

type Filter = { videoIds?: number[] }
const chosen = (db: Database, f: Filter) => listVideos(db).filter((v) => !f.videoIds || f.videoIds.includes(v.id))

export async function exportAuEvents(
  db: Database,
  file: string,
  filter: Filter = {},
): Promise<{ file: string; rows: number }> {
  const events = prepared<{
    coder: string
    code: string
    onset: number
    apex: number
    offset: number
    intensity: number | null
    onset_s: number | null
    apex_s: number | null
    offset_s: number | null
  }>(
    db,
    `SELECT e.coder, c.code, e.onset, e.apex, e.offset, e.intensity,
       (SELECT frame_time FROM images WHERE video_id = e.video_id AND frame = e.onset) AS onset_s,
       (SELECT frame_time FROM images WHERE video_id = e.video_id AND frame = e.apex) AS apex_s,
       (SELECT frame_time FROM images WHERE video_id = e.video_id AND frame = e.offset) AS offset_s
     FROM au_events e JOIN classes c ON c.id = e.class_id WHERE e.video_id = ? ORDER BY e.coder, c.position, e.onset`,
  )
  const rows = await CsvFile.writeAll(file, EVENT_COLUMNS, async (csv) => {
    for (const v of chosen(db, filter))
      for (const e of events.all(v.id))
        await csv.write([
          v.path,
          v.dataset,
          e.coder,
          e.code,
          e.onset,
          e.apex,
          e.offset,
          seconds(e.onset_s),
          seconds(e.apex_s),
          seconds(e.offset_s),
          e.intensity ?? '',
          LETTERS[e.intensity ?? 0],
        ])
  })
  return { file, rows }
}

export async function exportVideoFrames(
  db: Database,
  file: string,
  filter: Filter = {},
): Promise<{ file: string; rows: number; columns: string[] }> {
  const videos = chosen(db, filter)
  const tracked = new Set(videos.flatMap((v) => auTracks(db, v)))
  const aus = openFaceAuColumns(classIndex(db).list.filter((c) => tracked.has(c.code)))
  const columns = ['video', ...OPENFACE_FRAME_COLUMNS, ...aus.map((a) => a.header)]
  const frames = prepared<{ id: number; frame: number; frame_time: number } & FrameFace>(
    db,
    'SELECT id, frame, frame_time, face_index, face_score FROM images WHERE video_id = ? ORDER BY frame, face_index',
  )
  const labels = prepared<KnownLabel & { image_id: number; code: string }>(
    db,
    `SELECT l.image_id, c.code, l.value, l.intensity FROM labels l JOIN images i ON i.id = l.image_id
     JOIN classes c ON c.id = l.class_id WHERE i.video_id = ? AND c.kind = 'au'`,
  )
  const rows = await CsvFile.writeAll(file, columns, async (csv) => {
    for (const v of videos) {
      const known = new Map<number, Map<string, KnownLabel>>()
      for (const l of labels.iterate(v.id)) {
        let m = known.get(l.image_id)
        if (!m) known.set(l.image_id, (m = new Map()))
        m.set(l.code, l)
      }
      for (const f of frames.all(v.id)) {
        const m = known.get(f.id)
        await csv.write([
          v.path,
          ...openFaceFrameCells(f.frame, f.frame_time, f),
          ...aus.map((a) => a.cell(m?.get(a.code))),
        ])
      }
    }
  })
  return { file, rows, columns }
}
