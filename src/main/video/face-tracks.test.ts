import { describe, expect, it } from 'vitest'
import type { FaceBox } from '../../shared/faces'
import { FaceTracker, iou } from './face-tracks'

const box = (x: number, y: number, side = 60): FaceBox => ({ x, y, width: side, height: side })

describe('face tracks through video frames', () => {
  it('measures overlap as intersection over union', () => {
    expect(iou(box(0, 0), box(0, 0))).toBe(1)
    expect(iou(box(0, 0), box(100, 0))).toBe(0)
    expect(iou(box(0, 0, 10), box(5, 0, 10))).toBeCloseTo(50 / 150)
  })

  it('keeps one face one track while it moves, and across a frame the detector missed', () => {
    const tracker = new FaceTracker()
    const ids = [1, 2, 3, 5, 6].map((frame) => tracker.add(frame, [box(100 + frame * 4, 80)]))
    expect(ids).toEqual([[0], [0], [0], [0], [0]])
  })

  it('keeps two faces that cross each other as two tracks, each its own person', () => {
    // Face A walks right, face B walks left a little lower; they pass through each other at frame 11.
    const tracker = new FaceTracker()
    const seen = new Map<number, FaceBox[]>()
    for (let frame = 1; frame <= 21; frame++) {
      const a = box(50 + frame * 10, 100)
      const b = box(270 - frame * 10, 110)
      // The detector lists faces best score first, which changes from frame to frame.
      const boxes = frame % 3 ? [a, b] : [b, a]
      tracker.add(frame, boxes).forEach((id, i) => seen.set(id, [...(seen.get(id) ?? []), boxes[i]]))
    }
    expect([...seen.keys()].sort()).toEqual([0, 1])
    // Each track moves one way only: it never swapped to the other person.
    for (const boxes of seen.values()) {
      const steps = boxes.slice(1).map((b, i) => Math.sign(b.x - boxes[i].x))
      expect(new Set(steps).size).toBe(1)
      expect(boxes).toHaveLength(21)
    }
  })

  it('starts a new track for a face far from every earlier one, and after a long gap', () => {
    const tracker = new FaceTracker({ minIoU: 0.3, maxGap: 2 })
    expect(tracker.add(1, [box(0, 0)])).toEqual([0])
    expect(tracker.add(2, [box(2, 0), box(400, 0)])).toEqual([0, 1])
    expect(tracker.add(9, [box(4, 0)])).toEqual([2])
  })
})
