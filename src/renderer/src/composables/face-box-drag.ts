import type { FaceBox } from '@shared/faces'
import type { Ref } from 'vue'
import { movedBox, resizedBox, sameBox, type Corner, type PhotoSize } from './face-box-geometry'

// Dragging a face box with the pointer over the source photo as it is shown: scaled to fit the
// panel and centred (the SVG's viewBox is the photo's upright pixels). Screen points are mapped to
// photo pixels through the SVG's own transform, so the box lands where the pointer is whatever the
// zoom, the panel's size or the photo's EXIF orientation (the browser shows the photo upright).

/** What the pointer holds: the whole box (move) or one of its corners (resize). */
export type Grip = 'move' | Corner

export interface BoxDragOptions {
  svg: Ref<SVGSVGElement | null>
  photo: () => PhotoSize
  /** The box as it is drawn now (the draft). */
  box: () => FaceBox
  /** No drag starts while this is true (a save on its way). */
  disabled: () => boolean
  /** The box as the pointer moves it. */
  update: (box: FaceBox) => void
  /** The pointer let go of a box it changed. */
  commit: () => void
}

interface Drag {
  pointerId: number
  grip: Grip
  from: DOMPoint
  start: FaceBox
}

/** Pointer handlers for the box's group: pointerdown on the box or a corner starts a drag. */
export function useBoxDrag(options: BoxDragOptions) {
  let drag: Drag | null = null

  /** Where a screen point falls on the photo, in the photo's pixels. */
  function photoPoint(e: PointerEvent): DOMPoint | null {
    const ctm = options.svg.value?.getScreenCTM()
    return ctm ? new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse()) : null
  }

  function start(e: PointerEvent): void {
    const grip = (e.target as Element).closest('[data-grip]')?.getAttribute('data-grip') as Grip | undefined
    const from = photoPoint(e)
    if (!grip || !from || e.button !== 0 || options.disabled()) return
    e.preventDefault()
    const holder = e.currentTarget as Element
    holder.setPointerCapture(e.pointerId)
    ;(holder as SVGElement).focus()
    drag = { pointerId: e.pointerId, grip, from, start: { ...options.box() } }
  }

  function move(e: PointerEvent): void {
    const at = drag?.pointerId === e.pointerId ? photoPoint(e) : null
    if (!drag || !at) return
    const dx = at.x - drag.from.x
    const dy = at.y - drag.from.y
    const photo = options.photo()
    options.update(
      drag.grip === 'move' ? movedBox(drag.start, dx, dy, photo) : resizedBox(drag.start, drag.grip, dx, dy, photo),
    )
  }

  function end(e: PointerEvent): void {
    if (drag?.pointerId !== e.pointerId) return
    const changed = !sameBox(drag.start, options.box())
    drag = null
    if (changed) options.commit()
  }

  /** The system took the pointer away (a touch turned into a scroll...): the box goes back. */
  function cancel(e: PointerEvent): void {
    if (drag?.pointerId !== e.pointerId) return
    options.update(drag.start)
    drag = null
  }

  return { start, move, end, cancel }
}
