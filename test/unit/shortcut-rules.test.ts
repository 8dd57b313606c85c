import { describe, expect, it } from 'vitest'
import { methods } from '../../src/shared/contract'
import { allClasses } from '../../src/main/labels/label-space'
import { comboOf, effectiveBindings, shortcutActions } from '../../src/renderer/src/composables/keymap'

// shortcuts.set checks actions and keys in main; the label view makes them. Both must agree, or a
// coder could not save a shortcut the sheet lets them choose.
describe('shortcut rules of the contract and the keymap of the label view', () => {
  const accepts = (bindings: Record<string, string[]>) => methods['shortcuts.set'].input.safeParse({ bindings }).success

  it('accept every action of the label view with its default keys', () => {
    const actions = shortcutActions(allClasses())
    expect(actions.length).toBeLessThan(100)
    expect(accepts(effectiveBindings(actions, {}))).toBe(true)
  })

  it('accept the keys the keymap writes from key presses', () => {
    const press = (key: string, code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey', boolean>> = {}) =>
      comboOf({ key, code, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods })!
    const keys = [press('z', 'KeyZ', { ctrlKey: true, altKey: true, metaKey: true, shiftKey: true }), press(' ', 'Space'), press('+', 'Equal', { shiftKey: true, ctrlKey: true }), press('F5', 'F5', { altKey: true }), press('é', 'Digit2'), press('PageDown', 'PageDown')]
    expect(keys).toEqual(['Ctrl+Alt+Meta+Shift+z', 'Space', 'Ctrl++', 'Alt+F5', '2', 'PageDown'])
    expect(accepts({ next: keys.slice(0, 3), previous: keys.slice(3) })).toBe(true)
  })
})
