// @vitest-environment happy-dom
import { EMOTION_CODES, type LabelClass } from '@shared/labels'
import type { ShortcutBindings } from '@shared/contract'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import { describeCombo, shortcutActions } from '../composables/keymap'
import { useCatalogueStore } from '../stores/catalogue'
import { fakeTransport } from '../stores/fake-transport.test-kit'
import { useShortcutStore } from '../stores/shortcuts'
import ShortcutSheet from './ShortcutSheet.vue'
import { allByRole, getByRole, press } from './user-view.test-kit'

const classes: LabelClass[] = [
  ...EMOTION_CODES.map((code): LabelClass => ({
    code,
    kind: 'emotion',
    name: code[0].toUpperCase() + code.slice(1),
    description: '',
  })),
  { code: 'AU1', kind: 'au', name: 'Inner Brow Raiser', description: '', auNumber: 1 },
  { code: 'AU12', kind: 'au', name: 'Lip Corner Puller', description: '', auNumber: 12 },
  { code: 'AU43', kind: 'au', name: 'Eyes Closed', description: '', auNumber: 43 },
]

/** The sheet over a fake main that remembers `saved` shortcut changes (or refuses to save with `refusal`). */
async function shortcutSheet(saved: ShortcutBindings = {}, refusal?: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const main = fakeTransport('headless', {
    'shortcuts.get': () => saved,
    'shortcuts.set': ({ bindings }: { bindings: ShortcutBindings }) => {
      if (refusal) throw new Error(refusal)
      return bindings
    },
  })
  useCatalogueStore().classes = classes
  const sheet = mount(ShortcutSheet, { global: { plugins: [pinia] }, attachTo: document.body })
  const dialog = getByRole(sheet.element, 'dialog', 'Keyboard shortcuts') as HTMLDialogElement
  const open = async () => {
    useShortcutStore().sheetOpen = true
    await flushPromises()
  }
  /** The keys shown beside an action, as a person reads them ("—" when it has none). */
  const keysOf = (action: string) =>
    getByRole(dialog, 'button', `Change the key for ${action}`).closest('tr')!.querySelector('td')!.textContent!.trim()
  const saves = () => main.calls.filter((c) => c.method === 'shortcuts.set').map((c) => c.args)
  return { sheet, dialog, open, keysOf, saves }
}

const message = (dialog: Element) => allByRole(dialog, 'status').map((s) => s.textContent?.trim())

enableAutoUnmount(afterEach)

describe('the shortcut sheet', () => {
  it('lists every action with its keys, and the AUs outside the paper without a key', async () => {
    const { dialog, open, keysOf } = await shortcutSheet()
    await open()
    expect(dialog.open).toBe(true)
    for (const action of shortcutActions(classes))
      expect(keysOf(action.label)).toBe(action.defaults.map(describeCombo).join('') || '—')
    expect(keysOf('Next image')).toBe('→')
    expect(keysOf('Emotion: happy')).toBe('4')
    expect(keysOf('AU12 Lip Corner Puller')).toBe('U')
    expect(keysOf('AU43 Eyes Closed')).toBe('—')
    expect(allByRole(dialog, 'button', /^Change the key for /)).toHaveLength(shortcutActions(classes).length)
  })

  it('shows the keys the coder chose before', async () => {
    const { open, keysOf } = await shortcutSheet({ next: ['n'] })
    await open()
    expect(keysOf('Next image')).toBe('N')
  })

  it('gives an action the key pressed, takes it from the action that had it, says so and saves it', async () => {
    const { dialog, open, keysOf, saves } = await shortcutSheet()
    await open()
    getByRole(dialog, 'button', 'Change the key for Next image').click()
    await flushPromises()
    expect(getByRole(dialog, 'button', 'Change the key for Next image').textContent?.trim()).toBe('press a key…')
    expect(message(dialog)).toEqual(['Press the new key (Escape to cancel).'])
    press(getByRole(dialog, 'button', 'Change the key for Next image'), 'n')
    await flushPromises()
    expect(message(dialog)).toEqual(['N now does "Next image". It no longer does "Write a note".'])
    expect(keysOf('Next image')).toBe('N')
    expect(keysOf('Write a note')).toBe('—')
    expect(saves()).toEqual([{ bindings: { next: ['n'], note: [] } }])
  })

  it('gives the video coding keys their own view: a key taken there leaves the Label view its own', async () => {
    const { dialog, open, keysOf, saves } = await shortcutSheet()
    await open()
    expect(keysOf('Next frame')).toBe('→')
    expect(keysOf("Mark the AU's onset")).toBe('I')
    expect(keysOf('Apex intensity D severe')).toBe('4')
    getByRole(dialog, 'button', "Change the key for Mark the AU's onset").click()
    press(dialog, 'b')
    await flushPromises()
    expect(keysOf("Mark the AU's onset")).toBe('B')
    // Next frame takes → in the video view only: Next image keeps it.
    getByRole(dialog, 'button', 'Change the key for Next frame').click()
    press(dialog, 'n')
    await flushPromises()
    expect(message(dialog)).toEqual(['N now does "Next frame".'])
    expect(keysOf('Write a note')).toBe('N')
    // Within the video view a key moves from the action that had it.
    getByRole(dialog, 'button', 'Change the key for Play or pause the video').click()
    press(dialog, 'p')
    await flushPromises()
    expect(message(dialog)).toEqual(['P now does "Play or pause the video". It no longer does "Mark the AU\'s apex".'])
    expect(saves().at(-1)).toEqual({
      bindings: { 'video.onset': ['b'], 'video.nextFrame': ['n'], 'video.playPause': ['p'], 'video.apex': [] },
    })
  })

  it('cancels the choice of a key with Escape, keeping the sheet open and the key as it was', async () => {
    const { dialog, open, keysOf, saves } = await shortcutSheet()
    await open()
    getByRole(dialog, 'button', 'Change the key for Flag for discussion').click()
    await flushPromises()
    press(dialog, 'Escape')
    await flushPromises()
    expect(message(dialog)).toEqual([])
    expect(dialog.open).toBe(true)
    expect(keysOf('Flag for discussion')).toBe('F')
    expect(saves()).toEqual([])
  })

  it('says when main refused to save a key, and keeps the old one', async () => {
    const { dialog, open, keysOf } = await shortcutSheet({}, 'The settings file is read-only.')
    await open()
    getByRole(dialog, 'button', 'Change the key for Next image').click()
    press(dialog, 'n')
    await flushPromises()
    expect(getByRole(dialog, 'alert').textContent?.trim()).toBe(
      'The shortcut was not saved: The settings file is read-only.',
    )
    expect(keysOf('Next image')).toBe('→')
    expect(keysOf('Write a note')).toBe('N')
  })

  it('puts every key back to its default', async () => {
    const { dialog, open, keysOf, saves } = await shortcutSheet({ next: ['n'], note: [] })
    await open()
    getByRole(dialog, 'button', 'Reset to defaults').click()
    await flushPromises()
    expect(keysOf('Next image')).toBe('→')
    expect(keysOf('Write a note')).toBe('N')
    expect(saves()).toEqual([{ bindings: {} }])
  })

  it('opens with "?" and closes with Close', async () => {
    const { dialog } = await shortcutSheet()
    expect(dialog.open).toBe(false)
    press(document.body, '?', { shiftKey: true })
    await flushPromises()
    expect(dialog.open).toBe(true)
    getByRole(dialog, 'button', 'Close').click()
    await flushPromises()
    expect(dialog.open).toBe(false)
  })
})
