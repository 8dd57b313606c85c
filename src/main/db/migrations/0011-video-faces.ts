// Faces in video frames (issue 12 with issue 13): a frame searched for faces gives one item per
// face, each named by its track through the video (`clip.mp4#12#face1`, face_index = the track),
// so a frame may now hold several items. The unique index on (video_id, frame) becomes one on
// (video_id, frame, face) with -1 for the whole frame; every existing frame is a whole frame and
// stays unique. Nothing else changes.
export default /* sql */ `
DROP INDEX images_by_video_frame;
CREATE UNIQUE INDEX images_by_video_frame ON images (video_id, frame, ifnull(face_index, -1)) WHERE video_id IS NOT NULL;
`
