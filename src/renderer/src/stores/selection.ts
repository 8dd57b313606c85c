import type { BrowseFilter, Selection } from '@shared/contract'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { onWorkspaceSwitch } from './workspace-switch'

// Images chosen in the grid: a set of ids, or "every image of the filter" minus exceptions, so that
// selecting a million images costs nothing until an action sends the filter to main.

export const useSelectionStore = defineStore('selection', () => {
  const ids = shallowRef(new Set<number>())
  /** Set when everything matching this filter is selected. */
  const allOf = ref<{ filter: BrowseFilter; total: number } | null>(null)
  const except = shallowRef(new Set<number>())
  /** The index a Shift+click or Shift+arrow extends from. */
  const anchor = ref<number | null>(null)

  const count = computed(() => (allOf.value ? allOf.value.total - except.value.size : ids.value.size))
  const isSelected = (id: number): boolean => (allOf.value ? !except.value.has(id) : ids.value.has(id))

  /** The selection as the contract takes it, or null when nothing is selected. */
  const asContract = computed<Selection | null>(() => {
    if (allOf.value) return count.value > 0 ? { query: allOf.value.filter, except: [...except.value] } : null
    return ids.value.size ? { ids: [...ids.value] } : null
  })

  function clear(): void {
    ids.value = new Set()
    except.value = new Set()
    allOf.value = null
    anchor.value = null
  }

  /** Selects only this image. */
  function only(id: number, index: number): void {
    clear()
    ids.value = new Set([id])
    anchor.value = index
  }

  /** Adds or removes one image (Ctrl+click, Space). */
  function toggle(id: number, index: number): void {
    anchor.value = index
    const set = new Set(allOf.value ? except.value : ids.value)
    if (set.has(id)) set.delete(id)
    else set.add(id)
    if (allOf.value) except.value = set
    else ids.value = set
  }

  /** Adds images (a Shift range) to the selection. */
  function add(more: number[]): void {
    if (allOf.value) {
      const set = new Set(except.value)
      for (const id of more) set.delete(id)
      except.value = set
    } else ids.value = new Set([...ids.value, ...more])
  }

  /** Selects every image of a filter (Ctrl+A). */
  function selectAll(filter: BrowseFilter, total: number): void {
    clear()
    allOf.value = { filter: { ...filter }, total }
  }

  // Another workspace: its images are other images.
  onWorkspaceSwitch(clear)

  return { ids, allOf, except, anchor, count, asContract, isSelected, clear, only, toggle, add, selectAll }
})
