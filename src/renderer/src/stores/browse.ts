import type { BrowseFilter, BrowseItem, BrowseSort } from '@shared/contract'
import type { LabelValue } from '@shared/labels'
import { defineStore } from 'pinia'
import { computed, ref, shallowReactive } from 'vue'
import { call } from '../api'

// The catalogue as the grid and the label view walk it: a filter, a sort, the number of matches,
// and pages of images fetched when they come into view. A million images never sit in memory.

export const PAGE_SIZE = 200

export type SortChoice = { sort: BrowseSort; order: 'asc' | 'desc' }

/** The sorts offered, in the user's words. */
export const SORT_CHOICES: { key: string; label: string; value: SortChoice; needsRun: boolean }[] = [
  { key: 'id', label: 'Import order', value: { sort: 'id', order: 'asc' }, needsRun: false },
  { key: 'path', label: 'Path', value: { sort: 'path', order: 'asc' }, needsRun: false },
  { key: 'uncertainty', label: 'Uncertainty (least sure first)', value: { sort: 'uncertainty', order: 'desc' }, needsRun: true },
  { key: 'disagreement', label: 'Disagreement (largest first)', value: { sort: 'disagreement', order: 'desc' }, needsRun: true },
]

export const useBrowseStore = defineStore('browse', () => {
  const filter = ref<BrowseFilter>({})
  const sortKey = ref('id')
  const total = ref<number | null>(null)
  const error = ref<string | null>(null)
  /** Page index -> images; replaced whole so that the grid sees changes. */
  const pages = shallowReactive(new Map<number, BrowseItem[]>())
  /** Bumped by every new filter or sort: answers to an older query are dropped. */
  const generation = ref(0)
  /** Bumped by a new filter or sort only (not by a refresh): the grid goes back to the top. */
  const queryVersion = ref(0)
  /** The image the grid should scroll to when it is shown again (the last one labelled). */
  const anchorIndex = ref(0)
  const loading = new Map<number, Promise<void>>()

  const sort = computed<SortChoice>(() => SORT_CHOICES.find((s) => s.key === sortKey.value)?.value ?? SORT_CHOICES[0].value)
  /** The filter and sort as the contract takes them. */
  const query = computed(() => ({ ...filter.value, ...sort.value }))

  async function fetchPage(page: number, gen: number): Promise<void> {
    try {
      const result = await call('images.browse', { ...query.value, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
      if (gen !== generation.value) return
      total.value = result.total
      pages.set(page, result.items)
      error.value = null
    } catch (e) {
      if (gen === generation.value) error.value = (e as Error).message
    } finally {
      loading.delete(page)
    }
  }

  /** Fetches the page holding an index unless it is there or on its way. */
  function ensurePage(page: number): Promise<void> {
    if (pages.has(page)) return Promise.resolve()
    let pending = loading.get(page)
    if (!pending) loading.set(page, (pending = fetchPage(page, generation.value)))
    return pending
  }

  /** Makes sure the images from `first` to `last` (indexes) are loaded or loading. */
  function ensureRange(first: number, last: number): void {
    for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= Math.floor(Math.max(0, last) / PAGE_SIZE); p++) void ensurePage(p)
  }

  /** The image at an index if its page is loaded. */
  const itemAt = (index: number): BrowseItem | undefined => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE]

  /** The id of the image at an index, fetching its page if needed (null past the end). */
  async function idAt(index: number): Promise<number | null> {
    if (index < 0 || (total.value !== null && index >= total.value)) return null
    await ensurePage(Math.floor(index / PAGE_SIZE))
    return itemAt(index)?.id ?? null
  }

  /** Forgets the pages and counts again: after a new filter or sort, or to show edits made elsewhere. */
  async function refresh(): Promise<void> {
    generation.value++
    pages.clear()
    loading.clear()
    await ensurePage(0)
  }

  /** Applies a new filter (and sort); the grid starts again from the top. */
  async function setQuery(next: BrowseFilter, nextSort = sortKey.value): Promise<void> {
    filter.value = next
    sortKey.value = nextSort
    anchorIndex.value = 0
    queryVersion.value++
    await refresh()
  }

  /** Whether the run for predictions was decided (by default, or by the coder: "none" stays none). */
  const runChosen = ref(false)
  /** The first time: show the newest run's predictions, if a run has any. */
  function adoptNewestRun(predictedRunIds: number[]): void {
    if (runChosen.value) return
    runChosen.value = true
    if (filter.value.runId === undefined && predictedRunIds.length) filter.value = { ...filter.value, runId: predictedRunIds[0] }
  }

  /** Another workspace: everything starts again. */
  function reset(): void {
    filter.value = {}
    sortKey.value = 'id'
    runChosen.value = false
    anchorIndex.value = 0
    total.value = null
    generation.value++
    pages.clear()
    loading.clear()
  }

  /** Shows a label change on the loaded copy of an image at once (the grid's chips and counts). */
  function patchLabels(imageId: number, labels: Record<string, LabelValue>): void {
    for (const [p, items] of pages) {
      const at = items.findIndex((i) => i.id === imageId)
      if (at >= 0) pages.set(p, items.map((item, i) => (i === at ? { ...item, labels } : item)))
    }
  }

  /** The same for a review status. */
  function patchReview(imageIds: number[], reviewStatus: BrowseItem['reviewStatus']): void {
    const ids = new Set(imageIds)
    for (const [p, items] of pages) if (items.some((i) => ids.has(i.id))) pages.set(p, items.map((i) => (ids.has(i.id) ? { ...i, reviewStatus } : i)))
  }

  return { filter, sortKey, sort, query, total, error, pages, generation, queryVersion, anchorIndex, ensureRange, ensurePage, itemAt, idAt, refresh, setQuery, patchLabels, patchReview, runChosen, adoptNewestRun, reset }
})
