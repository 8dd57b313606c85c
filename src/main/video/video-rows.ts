// The video tables as SQLite returns their rows (migration 0010).

export interface VideoRow {
  id: number
  dataset_id: number
  /** Relative to the dataset's root. */
  path: string
  sha256: string
  width: number
  height: number
  /** The rate the catalogue's frames are numbered at. */
  fps: number
  native_fps: number
  frames: number
  duration: number
  codec: string
  created_at: number
}

export interface AuEventRow {
  id: number
  video_id: number
  class_id: number
  coder: string
  onset: number
  apex: number
  offset: number
  /** 1-5 = FACS A-E; null = not coded. */
  intensity: number | null
  created_at: number
  updated_at: number
}

export interface CodedSegmentRow {
  id: number
  video_id: number
  class_id: number
  coder: string
  first_frame: number
  last_frame: number
  created_at: number
}
