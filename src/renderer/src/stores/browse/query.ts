import type { BrowseFilter } from '@shared/contract'
import { computed, ref } from 'vue'
import { SORT_CHOICES, type SortChoice } from './sort-choices'

// What the catalogue walk shows: the coder's filter, the sort, and which run's predictions.

export function useBrowseQuery() {
  const filter = ref<BrowseFilter>({})
  const sortKey = ref('id')
  /** Whether the run for predictions was decided (by default, or by the coder: "none" stays none). */
  const runChosen = ref(false)

  const sort = computed<SortChoice>(
    () => SORT_CHOICES.find((s) => s.key === sortKey.value)?.value ?? SORT_CHOICES[0].value,
  )
  /** The filter and sort as the contract takes them. */
  const query = computed(() => ({ ...filter.value, ...sort.value }))

  /** The first time: show the newest run's predictions, if a run has any. */
  function adoptNewestRun(predictedRunIds: number[]): void {
    if (runChosen.value) return
    runChosen.value = true
    if (filter.value.runId === undefined && predictedRunIds.length)
      filter.value = { ...filter.value, runId: predictedRunIds[0] }
  }

  /** No filter, import order, no run decided. */
  function clear(): void {
    filter.value = {}
    sortKey.value = 'id'
    runChosen.value = false
  }

  return { filter, sortKey, sort, query, runChosen, adoptNewestRun, clear }
}

export type BrowseQuery = ReturnType<typeof useBrowseQuery>['query']
