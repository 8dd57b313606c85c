import type { BrowseFilter } from '@shared/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useBrowsePages } from './browse/pages'
import { useBrowseQuery } from './browse/query'
import { onWorkspaceSwitch } from './workspace-switch'

// The catalogue as the grid and the label view walk it: a filter and a sort (browse/query), the
// number of matches and the pages of images fetched as they come into view (browse/pages).

export const useBrowseStore = defineStore('browse', () => {
  const filtering = useBrowseQuery()
  const paging = useBrowsePages(filtering.query)
  /** Bumped by a new filter or sort only (not by a refresh): the grid goes back to the top. */
  const queryVersion = ref(0)
  /** The image the grid should scroll to when it is shown again (the last one labelled). */
  const anchorIndex = ref(0)

  /** Applies a new filter (and sort); the grid starts again from the top. */
  async function setQuery(next: BrowseFilter, nextSort = filtering.sortKey.value): Promise<void> {
    filtering.filter.value = next
    filtering.sortKey.value = nextSort
    anchorIndex.value = 0
    queryVersion.value++
    await paging.refresh()
  }

  /** Another workspace: everything starts again. */
  function reset(): void {
    filtering.clear()
    anchorIndex.value = 0
    paging.total.value = null
    paging.forget()
  }
  onWorkspaceSwitch(reset)

  const { filter, sortKey, sort, query, runChosen, adoptNewestRun } = filtering
  const { total, error, pages, generation, ensureRange, ensurePage, itemAt, idAt, refresh, patchLabels, patchReview } =
    paging
  return {
    filter,
    sortKey,
    sort,
    query,
    total,
    error,
    pages,
    generation,
    queryVersion,
    anchorIndex,
    ensureRange,
    ensurePage,
    itemAt,
    idAt,
    refresh,
    setQuery,
    patchLabels,
    patchReview,
    runChosen,
    adoptNewestRun,
    reset,
  }
})
