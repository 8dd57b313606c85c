import { describe, expect, it } from 'vitest'
import type { LabelClass } from '@shared/labels'
import { actionsByKey, comboOf, effectiveBindings, shortcutActions } from './keymap'
import { resolveShortcut } from './useShortcuts'

const key = (
  k: string,
  code: string,
  mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => comboOf({ key: k, code, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods })

const classes: LabelClass[] = [
  { code: 'happy', kind: 'emotion', name: 'Happy', description: '' },
  { code: 'AU12', kind: 'au', name: 'Lip Corner Puller', description: '', auNumber: 12 },
  { code: 'AU43', kind: 'au', name: 'Eyes Closed', description: '', auNumber: 43 },
]

describe('key combinations', () => {
  it('writes letters by character, digits by key, and Shift only where it is not in the character', () => {
    expect(key('Z', 'KeyZ', { ctrlKey: true, shiftKey: true })).toBe('Ctrl+Shift+z')
    expect(key('!', 'Digit1', { shiftKey: true })).toBe('Shift+1')
    expect(key('4', 'Numpad4')).toBe('4')
    expect(key('?', 'Slash', { shiftKey: true })).toBe('?')
    expect(key('Enter', 'Enter', { shiftKey: true })).toBe('Shift+Enter')
    expect(key('Shift', 'ShiftLeft', { shiftKey: true })).toBeNull()
  })
})

describe('bindings', () => {
  const actions = shortcutActions(classes)
  it('gives the paper AUs keys and leaves the others for the coder to bind', () => {
    const bindings = effectiveBindings(actions, {})
    expect(bindings['au:AU12']).toEqual(['u'])
    expect(bindings['au:AU43']).toEqual([])
    expect(bindings['emotion:happy']).toEqual(['4'])
  })

  it("resolves a coder's own key, and Shift with an AU's key to unknown", () => {
    const byKey = actionsByKey(effectiveBindings(actions, { next: ['d'], 'au:AU43': ['x'] }))
    expect(resolveShortcut('d', byKey)).toEqual({ action: 'next', code: '' })
    expect(resolveShortcut('ArrowRight', byKey)).toBeNull()
    expect(resolveShortcut('Shift+x', byKey)).toEqual({ action: 'auUnknown', code: 'AU43' })
    expect(resolveShortcut('4', byKey)).toEqual({ action: 'emotion', code: 'happy' })
  })

  it('gives each view its own meaning of a key: 4 is an emotion in the Label view, apex intensity D in Video coding', () => {
    const bindings = effectiveBindings(actions, { 'video.onset': ['b'] })
    const label = actionsByKey(bindings, 'label')
    const video = actionsByKey(bindings, 'video')
    expect(resolveShortcut('4', video)).toEqual({ action: 'video.intensity', code: 'D' })
    expect(resolveShortcut('0', video)).toEqual({ action: 'video.intensity', code: 'none' })
    expect(resolveShortcut('ArrowRight', video)).toEqual({ action: 'video.nextFrame', code: '' })
    expect(resolveShortcut('ArrowRight', label)).toEqual({ action: 'next', code: '' })
    expect(resolveShortcut('Shift+ArrowRight', video)).toEqual({ action: 'video.secondForward', code: '' })
    expect(resolveShortcut('Space', video)).toEqual({ action: 'video.playPause', code: '' })
    expect(resolveShortcut('b', video)).toEqual({ action: 'video.onset', code: '' })
    expect(resolveShortcut('i', video)).toBeNull()
    // Help works in both.
    expect(resolveShortcut('?', video)).toEqual({ action: 'help', code: '' })
    expect(resolveShortcut('?', label)).toEqual({ action: 'help', code: '' })
  })
})
