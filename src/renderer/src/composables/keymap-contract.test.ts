import { describe, expect, it } from 'vitest'
import { methods } from '@shared/contract'
import { EMOTION_CODES, type LabelClass } from '@shared/labels'
import { comboOf, effectiveBindings, shortcutActions } from './keymap'

// shortcuts.set checks actions and keys in main; the label view makes them. Both must agree, or a
// coder could not save a shortcut the sheet lets them choose.
describe('shortcut rules of the contract and the keymap of the label view', () => {
  const accepts = (bindings: Record<string, string[]>) => methods['shortcuts.set'].input.safeParse({ bindings }).success
  // Every FACS AU number the workbench could list (1-46), and the emotions.
  const classes: LabelClass[] = [
    ...EMOTION_CODES.map((code): LabelClass => ({ code, kind: 'emotion', name: code, description: '' })),
    ...Array.from({ length: 46 }, (_, i): LabelClass => ({
      code: `AU${i + 1}`,
      kind: 'au',
      name: `AU ${i + 1}`,
      description: '',
      auNumber: i + 1,
    })),
  ]

  it('accept every action of the label view with its default keys', () => {
    const actions = shortcutActions(classes)
    expect(actions.length).toBeLessThan(100)
    expect(accepts(effectiveBindings(actions, {}))).toBe(true)
  })

  it('accept the keys the keymap writes from key presses', () => {
    const press = (
      key: string,
      code: string,
      mods: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey', boolean>> = {},
    ) => comboOf({ key, code, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods })!
    const keys = [
      press('z', 'KeyZ', { ctrlKey: true, altKey: true, metaKey: true, shiftKey: true }),
      press(' ', 'Space'),
      press('+', 'Equal', { shiftKey: true, ctrlKey: true }),
      press('F5', 'F5', { altKey: true }),
      press('ñ', 'Semicolon'),
      press('PageDown', 'PageDown'),
    ]
    expect(keys).toEqual(['Ctrl+Alt+Meta+Shift+z', 'Space', 'Ctrl++', 'Alt+F5', 'ñ', 'PageDown'])
    expect(accepts({ next: keys.slice(0, 3), previous: keys.slice(3) })).toBe(true)
  })
})
