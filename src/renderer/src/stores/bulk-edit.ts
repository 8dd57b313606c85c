import type { ReviewStatus } from '@shared/contract'
import type { LabelValue } from '@shared/labels'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call } from '../api'
import { useBrowseStore } from './browse'
import { useCatalogueStore } from './catalogue'
import { useEditHistoryStore } from './edit-history'
import { useSelectionStore } from './selection'
import { intensityLetter, type Intensity } from '@shared/intensity'

const WORDS = { 1: 'present', 0: 'absent', null: 'unknown' } as const

/** One action on every selected image: a label set or cleared (one undo), or a review status. */
export const useBulkEditStore = defineStore('bulkEdit', () => {
  const selection = useSelectionStore()
  const history = useEditHistoryStore()
  const browse = useBrowseStore()
  const catalogue = useCatalogueStore()
  const status = ref<{ kind: 'saving' | 'saved' | 'error'; message: string } | null>(null)

  /** Sets or clears one label on all selected images, recorded per image under one edit. */
  /** Sets one label on every selected image; a present AU may carry a FACS intensity (1-5 = A-E). */
  async function setLabel(code: string, value: LabelValue | null, reason = '', intensity?: Intensity): Promise<void> {
    const chosen = selection.asContract
    if (!chosen) return
    const at = value === 1 && intensity ? ` at ${intensityLetter(intensity)}` : ''
    const words = `${code} ${WORDS[String(value) as keyof typeof WORDS]}${at}`
    if (!(await history.ensureAnnotator()))
      return void (status.value = { kind: 'error', message: 'Not saved: give your name first.' })
    status.value = { kind: 'saving', message: `Setting ${words} on ${selection.count.toLocaleString()} images…` }
    try {
      const result = await history.enqueue(() =>
        call('labels.bulkEdit', { selection: chosen, code, value, reason, ...(at ? { intensity } : {}) }),
      )
      if (result.editId !== null)
        history.record({ editId: result.editId, imageIds: 'ids' in chosen ? chosen.ids : [], label: words })
      status.value = {
        kind: 'saved',
        message: `Saved: ${words} on ${result.images.toLocaleString()} images (${result.changed.toLocaleString()} labels changed, edit ${result.editId ?? 'none'})`,
      }
      await Promise.all([browse.refresh(), catalogue.refreshAvailability()])
    } catch (e) {
      status.value = { kind: 'error', message: `Not saved: ${words}. ${(e as Error).message}` }
    }
  }

  /** Sets the review status of all selected images. */
  async function setReview(reviewStatus: ReviewStatus): Promise<void> {
    const chosen = selection.asContract
    if (!chosen) return
    try {
      const result = await history.enqueue(() => call('images.bulkReview', { selection: chosen, status: reviewStatus }))
      status.value = {
        kind: 'saved',
        message: `Saved: ${result.images.toLocaleString()} images ${reviewStatus.replace('_', ' ')}`,
      }
      await browse.refresh()
    } catch (e) {
      status.value = { kind: 'error', message: `Not saved: ${(e as Error).message}` }
    }
  }

  /** Undo or redo from the catalogue: the grid and the counts show the result. */
  async function step(kind: 'undo' | 'redo'): Promise<void> {
    try {
      const edit = await (kind === 'undo' ? history.undo() : history.redo())
      if (!edit) return void (status.value = { kind: 'saved', message: `Nothing to ${kind}.` })
      status.value = { kind: 'saved', message: `${kind === 'undo' ? 'Undone' : 'Redone'}: ${edit.label}` }
      await Promise.all([browse.refresh(), catalogue.refreshAvailability()])
    } catch (e) {
      status.value = { kind: 'error', message: `Could not ${kind}: ${(e as Error).message}` }
    }
  }

  return { status, setLabel, setReview, undo: () => step('undo'), redo: () => step('redo') }
})
