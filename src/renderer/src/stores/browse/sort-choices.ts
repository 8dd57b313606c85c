import type { BrowseSort } from '@shared/contract'

export type SortChoice = { sort: BrowseSort; order: 'asc' | 'desc' }

/** The sorts offered, in the user's words. */
export const SORT_CHOICES: { key: string; label: string; value: SortChoice; needsRun: boolean }[] = [
  { key: 'id', label: 'Import order', value: { sort: 'id', order: 'asc' }, needsRun: false },
  { key: 'path', label: 'Path', value: { sort: 'path', order: 'asc' }, needsRun: false },
  {
    key: 'uncertainty',
    label: 'Uncertainty (least sure first)',
    value: { sort: 'uncertainty', order: 'desc' },
    needsRun: true,
  },
  {
    key: 'disagreement',
    label: 'Disagreement (largest first)',
    value: { sort: 'disagreement', order: 'desc' },
    needsRun: true,
  },
]
