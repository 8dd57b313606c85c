import { describe, expect, it } from 'vitest'
import { boxAfterKey, clampBox, movedBox, resizedBox, type BoxKey } from './face-box-geometry'

const photo = { width: 640, height: 480 }
const box = { x: 100, y: 80, width: 120, height: 150 }
const press = (key: string, mods: Partial<BoxKey> = {}): BoxKey => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
})

describe('moving and resizing a face box by hand', () => {
  it('moves by whole pixels and stops at the edges of the photo', () => {
    expect(movedBox(box, 10.4, -20.6, photo)).toEqual({ x: 110, y: 59, width: 120, height: 150 })
    expect(movedBox(box, -500, 900, photo)).toEqual({ x: 0, y: 330, width: 120, height: 150 })
    expect(movedBox(box, 900, -500, photo)).toEqual({ x: 520, y: 0, width: 120, height: 150 })
  })

  it('drags a corner with the opposite corner fixed, never past it nor out of the photo', () => {
    expect(resizedBox(box, 'bottom-right', 30, 20, photo)).toEqual({ x: 100, y: 80, width: 150, height: 170 })
    expect(resizedBox(box, 'top-left', -30, -20, photo)).toEqual({ x: 70, y: 60, width: 150, height: 170 })
    expect(resizedBox(box, 'top-right', 1000, -1000, photo)).toEqual({ x: 100, y: 0, width: 540, height: 230 })
    // Dragged past the opposite corner: the box keeps its smallest size at that corner.
    expect(resizedBox(box, 'bottom-left', 400, -400, photo)).toEqual({ x: 212, y: 80, width: 8, height: 8 })
  })

  it('moves with the arrows, resizes with Shift, 10 pixels with Ctrl or Cmd', () => {
    expect(boxAfterKey(box, press('ArrowRight'), photo)).toEqual({ ...box, x: 101 })
    expect(boxAfterKey(box, press('ArrowUp', { ctrlKey: true }), photo)).toEqual({ ...box, y: 70 })
    expect(boxAfterKey(box, press('ArrowLeft', { metaKey: true }), photo)).toEqual({ ...box, x: 90 })
    expect(boxAfterKey(box, press('ArrowRight', { shiftKey: true }), photo)).toEqual({ ...box, width: 121 })
    expect(boxAfterKey(box, press('ArrowUp', { shiftKey: true, ctrlKey: true }), photo)).toEqual({
      ...box,
      height: 140,
    })
    expect(boxAfterKey({ ...box, x: 0 }, press('ArrowLeft'), photo)).toEqual({ ...box, x: 0 })
    expect(boxAfterKey(box, press('Enter'), photo)).toBeNull()
  })

  it('brings a typed or detected box back inside the photo, rounded', () => {
    expect(clampBox({ x: -3.2, y: 470, width: 99.6, height: 30 }, photo)).toEqual({
      x: 0,
      y: 450,
      width: 100,
      height: 30,
    })
    expect(clampBox({ x: 5, y: 5, width: 2, height: 900 }, photo)).toEqual({ x: 5, y: 0, width: 8, height: 480 })
  })
})
