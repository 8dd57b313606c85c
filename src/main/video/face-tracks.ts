import type { FaceBox } from '../../shared/faces'

// Faces followed through a video's frames, so that one person keeps one track (`face_id` in the
// OpenFace frames export, `#face<N>` in the item's name). Each face found in a frame continues the
// track whose box, moved on by the track's last step (constant velocity), overlaps it most; pairs
// are taken best overlap first, so two faces that cross keep their tracks as long as they move
// steadily. A face that overlaps no track enough starts a new one; a track not seen for more than
// `maxGap` frames ends (the detector missed the face, or the person left).

export interface TrackOptions {
  /** Least overlap (intersection over union) for a face to continue a track. */
  minIoU: number
  /** Frames a track may go unseen and still be continued. */
  maxGap: number
}

export const DEFAULT_TRACKING: TrackOptions = { minIoU: 0.3, maxGap: 5 }

/** Intersection over union of two boxes, 0 to 1. */
export function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (w <= 0 || h <= 0) return 0
  const inter = w * h
  return inter / (a.width * a.height + b.width * b.height - inter)
}

interface Track {
  id: number
  box: FaceBox
  frame: number
  /** Movement per frame from its previous sighting. */
  step: { x: number; y: number }
}

/** Where a track's face should be at `frame`, moved on at its last speed. */
const predicted = (t: Track, frame: number): FaceBox => {
  const n = frame - t.frame
  return { ...t.box, x: t.box.x + t.step.x * n, y: t.box.y + t.step.y * n }
}

/**
 * Follows faces through frames given in increasing frame order (frames without faces may be left
 * out). Returns, for each frame given, the track of each of its faces (tracks numbered from 0 in
 * order of first appearance); no two faces of one frame share a track.
 */
export class FaceTracker {
  private readonly live: Track[] = []
  private next = 0

  constructor(private readonly options: TrackOptions = DEFAULT_TRACKING) {}

  /** Tracks started so far. */
  get tracks(): number {
    return this.next
  }

  /** The track of each face of `frame`, in the order of `boxes`. */
  add(frame: number, boxes: FaceBox[]): number[] {
    const alive = this.live.filter((t) => frame - t.frame <= this.options.maxGap + 1)
    this.live.splice(0, this.live.length, ...alive)
    const pairs: { track: Track; face: number; overlap: number }[] = []
    for (const track of alive) {
      const guess = predicted(track, frame)
      boxes.forEach((box, face) => {
        const overlap = iou(guess, box)
        if (overlap >= this.options.minIoU) pairs.push({ track, face, overlap })
      })
    }
    pairs.sort((a, b) => b.overlap - a.overlap)
    const ids: (number | undefined)[] = boxes.map(() => undefined)
    const taken = new Set<Track>()
    for (const { track, face } of pairs) {
      if (taken.has(track) || ids[face] !== undefined) continue
      taken.add(track)
      ids[face] = track.id
      const box = boxes[face]
      const n = Math.max(1, frame - track.frame)
      track.step = { x: (box.x - track.box.x) / n, y: (box.y - track.box.y) / n }
      track.box = box
      track.frame = frame
    }
    return ids.map((id, face) => {
      if (id !== undefined) return id
      const track: Track = { id: this.next++, box: boxes[face], frame, step: { x: 0, y: 0 } }
      this.live.push(track)
      return track.id
    })
  }
}
