import type { ShortcutBindings } from '@shared/contract'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call } from '../api'
import { actionsByKey, clashes, effectiveBindings, shortcutActions } from '../composables/keymap'
import { useCatalogueStore } from './catalogue'

/** The keyboard shortcuts in force: defaults with the coder's changes, remembered by main. */
export const useShortcutStore = defineStore('shortcuts', () => {
  const catalogue = useCatalogueStore()
  const changed = ref<ShortcutBindings>({})
  const sheetOpen = ref(false)
  const error = ref<string | null>(null)
  let loaded = false

  const actions = computed(() => shortcutActions(catalogue.classes))
  const bindings = computed(() => effectiveBindings(actions.value, changed.value))
  /** Action ids by key, per view: a key may do one thing in the Label view and another in Video coding. */
  const byView = computed(() => ({
    label: actionsByKey(bindings.value, 'label'),
    video: actionsByKey(bindings.value, 'video'),
  }))

  /** Loads the remembered changes once. */
  async function load(): Promise<void> {
    if (loaded) return
    try {
      changed.value = await call('shortcuts.get', {})
      loaded = true
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  async function save(next: ShortcutBindings): Promise<void> {
    const before = changed.value
    changed.value = next
    try {
      await call('shortcuts.set', { bindings: next })
      error.value = null
    } catch (e) {
      changed.value = before
      error.value = `The shortcut was not saved: ${(e as Error).message}`
    }
  }

  /**
   * Gives an action one key. The key leaves any other action that had it in the same view; returns
   * that action's label so the sheet can say so.
   */
  async function assign(actionId: string, combo: string): Promise<string | null> {
    const next: ShortcutBindings = { ...changed.value }
    let displaced: string | null = null
    for (const [other, keys] of Object.entries(bindings.value)) {
      if (other !== actionId && keys.includes(combo) && clashes(other, actionId)) {
        next[other] = keys.filter((k) => k !== combo)
        displaced = actions.value.find((a) => a.id === other)?.label ?? other
      }
    }
    next[actionId] = [combo]
    await save(next)
    return displaced
  }

  /** Back to the default keys of every action. */
  const resetAll = () => save({})

  return { changed, bindings, byView, actions, sheetOpen, error, load, assign, resetAll }
})
