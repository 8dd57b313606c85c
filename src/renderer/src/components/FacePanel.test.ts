// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import type { FaceDetail, ImageDetail } from '@shared/contract'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { fakeTransport } from '../stores/fake-transport.test-kit'
import { allByRole, getByRole } from './user-view.test-kit'
import FacePanel from './FacePanel.vue'

const face: FaceDetail = {
  sourcePath: 'sample1.jpg',
  index: 1,
  origin: 'detected',
  box: { x: 837.2, y: 417.7, width: 190, height: 226 },
  score: 0.991,
  landmarks: Array.from({ length: 68 }, (_, i) => [850 + i, 450 + i] as [number, number]),
  notAFace: false,
  photoWidth: 1920,
  photoHeight: 1280,
  facesInPhoto: 3,
}
const detail = {
  id: 2,
  path: 'sample1.jpg#face1',
  dataset: 'study',
  face,
  faceHistory: [],
} as unknown as ImageDetail

/** faces.edit as main answers it: the box saved, the event recorded. */
const editAnswer = (args: { box?: FaceDetail['box']; notAFace?: boolean }) => ({
  face: { ...face, ...(args.box ? { box: args.box, origin: 'edited' } : {}), notAFace: args.notAFace ?? false },
  event: {
    id: args.box ? 1 : 2,
    imageId: 2,
    oldBox: face.box,
    newBox: args.box ?? face.box,
    oldNotAFace: false,
    newNotAFace: args.notAFace ?? false,
    who: 'Ana',
    at: '2026-11-30T09:00:00.000Z',
    reason: '',
  },
})

const key = (target: Element, key: string, mods: KeyboardEventInit = {}) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...mods }))

describe('the face panel of the Label view', () => {
  it('moves and resizes the box by keyboard, puts it back with Escape, saves it with Enter', async () => {
    setActivePinia(createPinia())
    const main = fakeTransport('headless', { 'faces.edit': editAnswer })
    const view = mount(FacePanel, { props: { detail }, attachTo: document.body })
    const box = getByRole(view.element, 'button', 'Face box 2 of photo sample1.jpg')
    const left = getByRole(view.element, 'spinbutton', 'Face box left') as HTMLInputElement
    const width = getByRole(view.element, 'spinbutton', 'Face box width') as HTMLInputElement
    key(box, 'ArrowRight')
    key(box, 'ArrowLeft', { ctrlKey: true })
    await flushPromises()
    expect(left.value).toBe('828')
    key(box, 'Escape')
    await flushPromises()
    expect(left.value).toBe('837')
    expect(main.calls.filter((c) => c.method === 'faces.edit')).toEqual([])
    const moved = key(box, 'ArrowDown', { shiftKey: true, ctrlKey: true })
    expect(moved).toBe(false) // taken by the box: the Label view's arrows do not walk to another image
    key(box, 'ArrowRight', { shiftKey: true })
    key(box, 'ArrowUp')
    await flushPromises()
    expect(width.value).toBe('191')
    key(box, 'Enter')
    await flushPromises()
    expect(main.calls.at(-1)).toEqual({
      method: 'faces.edit',
      args: { imageId: 2, box: { x: 837, y: 417, width: 191, height: 236 } },
    })
    expect(getByRole(view.element, 'status').textContent).toBe('Box saved; the face crop was cut again.')
    view.unmount()
  })

  it('draws the box and landmarks over the photo, saves a moved box and "not a face", and lists the changes', async () => {
    setActivePinia(createPinia())
    const main = fakeTransport('headless', { 'faces.edit': editAnswer })
    const view = mount(FacePanel, { props: { detail }, attachTo: document.body })
    expect(view.text()).toContain('Face 2 of 3 in sample1.jpg: found by the face detector, detector score 0.99')
    expect(view.findAll('circle')).toHaveLength(68)
    getByRole(view.element, 'checkbox', 'Show box and landmarks').click()
    await flushPromises()
    expect(view.findAll('rect, circle')).toHaveLength(0)
    const left = getByRole(view.element, 'spinbutton', 'Face box left') as HTMLInputElement
    expect(left.value).toBe('837')
    left.value = '800'
    left.dispatchEvent(new Event('input'))
    getByRole(view.element, 'button', 'Save face box').click()
    await flushPromises()
    expect(main.calls.at(-1)?.args).toEqual({ imageId: 2, box: { x: 800, y: 418, width: 190, height: 226 } })
    expect(getByRole(view.element, 'status').textContent).toBe('Box saved; the face crop was cut again.')
    getByRole(view.element, 'checkbox', 'Not a face').click()
    await flushPromises()
    expect(main.calls.at(-1)?.args).toEqual({ imageId: 2, notAFace: true })
    const history = getByRole(view.element, 'list', 'Face history').textContent!
    expect(history).toContain('not a face')
    expect(history).toContain('box (837, 418) 190 x 226 → (800, 418) 190 x 226')
    expect(allByRole(view.element, 'alert')).toEqual([])
    view.unmount()
  })
})
