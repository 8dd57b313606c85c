import type { FaceBox } from '@shared/faces'

// Moving and resizing a face box by hand (drag on the photo, or the keyboard), in the source
// photo's pixels: whole pixels, always inside the photo, never smaller than MIN_FACE_BOX, so that
// what the coder sees is what faces.edit accepts and the crop is cut from.

/** The smallest box a drag or a key can make (a crop from fewer pixels is no face). */
export const MIN_FACE_BOX = 8

export interface PhotoSize {
  width: number
  height: number
}

export type Corner = 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right'
export const CORNERS: readonly Corner[] = ['top-left', 'top-right', 'bottom-left', 'bottom-right']

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high)

/** The smallest side a box may have in this photo (a photo smaller than MIN_FACE_BOX is the limit itself). */
const minSide = (side: number): number => Math.min(MIN_FACE_BOX, side)

/** The box rounded to whole pixels, at least the minimum size and inside the photo. */
export function clampBox(box: FaceBox, photo: PhotoSize): FaceBox {
  const width = clamp(Math.round(box.width), minSide(photo.width), photo.width)
  const height = clamp(Math.round(box.height), minSide(photo.height), photo.height)
  return {
    x: clamp(Math.round(box.x), 0, photo.width - width),
    y: clamp(Math.round(box.y), 0, photo.height - height),
    width,
    height,
  }
}

/** `start` moved by (dx, dy) photo pixels, its size kept, stopped at the photo's edges. */
export function movedBox(start: FaceBox, dx: number, dy: number, photo: PhotoSize): FaceBox {
  return clampBox({ ...start, x: start.x + dx, y: start.y + dy }, photo)
}

/** `start` with one corner dragged by (dx, dy): the opposite corner stays where it was. */
export function resizedBox(start: FaceBox, corner: Corner, dx: number, dy: number, photo: PhotoSize): FaceBox {
  let left = start.x
  let top = start.y
  let right = start.x + start.width
  let bottom = start.y + start.height
  const [vertical, horizontal] = corner.split('-')
  if (horizontal === 'left') left = clamp(Math.round(left + dx), 0, right - minSide(photo.width))
  else right = clamp(Math.round(right + dx), left + minSide(photo.width), photo.width)
  if (vertical === 'top') top = clamp(Math.round(top + dy), 0, bottom - minSide(photo.height))
  else bottom = clamp(Math.round(bottom + dy), top + minSide(photo.height), photo.height)
  return clampBox({ x: left, y: top, width: right - left, height: bottom - top }, photo)
}

/** What a key press on the focused box does (null: not a box key). */
export interface BoxKey {
  key: string
  shiftKey: boolean
  ctrlKey: boolean
  metaKey: boolean
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}

/** The pixels one key press moves or resizes the box by: 1, or 10 with Ctrl (Cmd on a Mac). */
export const keyStep = (key: Pick<BoxKey, 'ctrlKey' | 'metaKey'>): number => (key.ctrlKey || key.metaKey ? 10 : 1)

/**
 * Arrows move the box; Shift+arrows resize it from its bottom-right corner (Right and Down make
 * it bigger, Left and Up smaller). Returns null for any other key.
 */
export function boxAfterKey(box: FaceBox, key: BoxKey, photo: PhotoSize): FaceBox | null {
  const arrow = ARROWS[key.key]
  if (!arrow) return null
  const dx = arrow[0] * keyStep(key)
  const dy = arrow[1] * keyStep(key)
  return key.shiftKey ? resizedBox(box, 'bottom-right', dx, dy, photo) : movedBox(box, dx, dy, photo)
}

export const sameBox = (a: FaceBox, b: FaceBox): boolean =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height
