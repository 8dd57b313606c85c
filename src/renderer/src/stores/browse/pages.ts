import type { BrowseItem } from '@shared/contract'
import type { LabelValue } from '@shared/labels'
import { ref, shallowReactive } from 'vue'
import { call } from '../../api'
import type { BrowseQuery } from './query'

// Pages of the catalogue walk, fetched when they come into view: a million images never sit in
// memory. Loaded copies take label and review changes at once, so the grid shows an edit before
// the next fetch.

export const PAGE_SIZE = 200

export function useBrowsePages(query: BrowseQuery) {
  const loader = usePageLoader(query)
  return { ...loader, ...usePageLookups(loader), ...usePagePatches(loader.pages) }
}

/** Fetches pages for the current query; an answer to an older query is dropped. */
function usePageLoader(query: BrowseQuery) {
  const total = ref<number | null>(null)
  const error = ref<string | null>(null)
  /** Page index -> images; replaced whole so that the grid sees changes. */
  const pages = shallowReactive(new Map<number, BrowseItem[]>())
  /** Bumped by every new filter or sort: answers to an older query are dropped. */
  const generation = ref(0)
  const loading = new Map<number, Promise<void>>()

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

  /** Drops every loaded page and any answer still on its way. */
  function forget(): void {
    generation.value++
    pages.clear()
    loading.clear()
  }

  /** Forgets the pages and counts again: after a new filter or sort, or to show edits made elsewhere. */
  async function refresh(): Promise<void> {
    forget()
    await ensurePage(0)
  }

  return { total, error, pages, generation, ensurePage, forget, refresh }
}

/** Images by their index in the walk. */
function usePageLookups({
  total,
  pages,
  ensurePage,
}: Pick<ReturnType<typeof usePageLoader>, 'total' | 'pages' | 'ensurePage'>) {
  /** Makes sure the images from `first` to `last` (indexes) are loaded or loading. */
  function ensureRange(first: number, last: number): void {
    for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= Math.floor(Math.max(0, last) / PAGE_SIZE); p++)
      void ensurePage(p)
  }

  /** The image at an index if its page is loaded. */
  const itemAt = (index: number): BrowseItem | undefined =>
    pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE]

  /** The id of the image at an index, fetching its page if needed (null past the end). */
  async function idAt(index: number): Promise<number | null> {
    if (index < 0 || (total.value !== null && index >= total.value)) return null
    await ensurePage(Math.floor(index / PAGE_SIZE))
    return itemAt(index)?.id ?? null
  }

  return { ensureRange, itemAt, idAt }
}

/** Shows label and review changes on the loaded copies of images at once (the grid's chips and counts). */
function usePagePatches(pages: Map<number, BrowseItem[]>) {
  /** A label change of one image. */
  function patchLabels(imageId: number, labels: Record<string, LabelValue>): void {
    for (const [p, items] of pages) {
      const at = items.findIndex((i) => i.id === imageId)
      if (at >= 0)
        pages.set(
          p,
          items.map((item, i) => (i === at ? { ...item, labels } : item)),
        )
    }
  }

  /** The same for a review status. */
  function patchReview(imageIds: number[], reviewStatus: BrowseItem['reviewStatus']): void {
    const ids = new Set(imageIds)
    for (const [p, items] of pages)
      if (items.some((i) => ids.has(i.id)))
        pages.set(
          p,
          items.map((i) => (ids.has(i.id) ? { ...i, reviewStatus } : i)),
        )
  }

  return { patchLabels, patchReview }
}
