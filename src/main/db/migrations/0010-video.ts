// Video (issue 13): a video file is a catalogue object of its own, each decoded frame an image of
// the catalogue that points at it (video_id, frame numbered from 1 as DISFA and OpenFace count,
// frame_time in seconds). A frame has no file of its own: its path is "<video path>#<frame>", its
// small copy lives in the thumbnail cache and a full frame is decoded from the video on demand.
//
// A coder's AU events (onset, apex, offset frames, apex intensity 1-5 = FACS A-E, NULL = not
// coded) and the segments over which they coded an AU are stored per video; the frames' labels
// follow from them (src/main/video/event-labels.ts). Nothing existing is rewritten: older images
// get NULL video columns.
export default /* sql */ `
CREATE TABLE videos (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  path        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  fps         REAL NOT NULL CHECK (fps > 0),
  native_fps  REAL NOT NULL CHECK (native_fps > 0),
  frames      INTEGER NOT NULL CHECK (frames >= 0),
  duration    REAL NOT NULL,
  codec       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (dataset_id, path)
);

ALTER TABLE images ADD COLUMN video_id INTEGER REFERENCES videos(id) ON DELETE CASCADE;
ALTER TABLE images ADD COLUMN frame INTEGER;
ALTER TABLE images ADD COLUMN frame_time REAL;
CREATE UNIQUE INDEX images_by_video_frame ON images (video_id, frame) WHERE video_id IS NOT NULL;

CREATE TABLE au_events (
  id         INTEGER PRIMARY KEY,
  video_id   INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  class_id   INTEGER NOT NULL REFERENCES classes(id),
  coder      TEXT NOT NULL,
  onset      INTEGER NOT NULL,
  apex       INTEGER NOT NULL,
  offset     INTEGER NOT NULL,
  intensity  INTEGER CHECK (intensity BETWEEN 1 AND 5),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (1 <= onset AND onset <= apex AND apex <= offset)
);
CREATE INDEX au_events_by_video ON au_events (video_id, class_id, onset);

-- The frames over which a coder coded an AU: inside one, a frame without an event is absent;
-- outside every segment, a frame without an event is unknown.
CREATE TABLE coded_segments (
  id          INTEGER PRIMARY KEY,
  video_id    INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
  class_id    INTEGER NOT NULL REFERENCES classes(id),
  coder       TEXT NOT NULL,
  first_frame INTEGER NOT NULL,
  last_frame  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  CHECK (1 <= first_frame AND first_frame <= last_frame)
);
CREATE INDEX coded_segments_by_video ON coded_segments (video_id, class_id, first_frame);
`
