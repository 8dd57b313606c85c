import type { ChoiceImage, ImageDetail, LabelChange, StoredLabel } from '@shared/contract'
import type { LabelValue } from '@shared/labels'
import { computed, ref, type ComputedRef, type Ref } from 'vue'
import { call } from '../../api'
import type { useBrowseStore } from '../browse'
import type { useEditHistoryStore } from '../edit-history'
import type { LoadedImages } from './loaded-images'
import { useReloadWhenQuiet } from './reload-when-quiet'
import type { Say } from './save-status'

// Label edits of the shown image as the coder sees them: shown at once, sent in order through the
// edit queue, confirmed when main answers, or taken back visibly if main refuses them.

export interface PendingEdit {
  key: number
  imageId: number
  changes: LabelChange[]
  label: string
}

interface EditNeeds {
  imageId: Ref<number | null>
  detail: ComputedRef<ImageDetail | null>
  images: LoadedImages
  browse: ReturnType<typeof useBrowseStore>
  history: ReturnType<typeof useEditHistoryStore>
  say: Say
}

function applyChanges(labels: Record<string, LabelValue>, changes: LabelChange[]): Record<string, LabelValue> {
  for (const c of changes) {
    if (c.value === null) delete labels[c.code]
    else labels[c.code] = c.value
  }
  return labels
}

/** FACS intensities (1-5 = A-E) by code; a code left out has none. */
function applyIntensities(intensities: Record<string, number>, changes: LabelChange[]): Record<string, number> {
  for (const c of changes) {
    if (c.value !== null && c.intensity != null) intensities[c.code] = c.intensity
    else delete intensities[c.code]
  }
  return intensities
}

/** The stored labels with their intensities after changes (what the label view shows until it reloads). */
function storedAfter(details: StoredLabel[], changes: LabelChange[]): StoredLabel[] {
  const byCode = new Map(details.map((d) => [d.code, d]))
  for (const c of changes) {
    const was = byCode.get(c.code)
    if (c.value === null) byCode.delete(c.code)
    else
      byCode.set(c.code, {
        code: c.code,
        value: c.value,
        intensity: c.intensity ?? null,
        setBy: was?.setBy ?? '',
        setAt: was?.setAt ?? '',
      })
  }
  return [...byCode.values()]
}

/** Saved labels with the edits on their way applied: what the coder sees. */
function useLabelsOnScreen(
  imageId: Ref<number | null>,
  detail: ComputedRef<ImageDetail | null>,
  pending: Ref<PendingEdit[]>,
) {
  const labels = computed<Record<string, LabelValue>>(() => {
    const out: Record<string, LabelValue> = { ...(detail.value?.labels ?? {}) }
    for (const p of pending.value) if (p.imageId === imageId.value) applyChanges(out, p.changes)
    return out
  })
  const intensities = computed<Record<string, number>>(() => {
    const out: Record<string, number> = {}
    for (const d of detail.value?.labelDetails ?? []) if (d.intensity !== null) out[d.code] = d.intensity
    for (const p of pending.value) if (p.imageId === imageId.value) applyIntensities(out, p.changes)
    return out
  })
  const image = computed<ChoiceImage | null>(() =>
    detail.value ? { id: detail.value.id, labelSpace: detail.value.labelSpace, labels: labels.value } : null,
  )
  return { labels, intensities, image }
}

export function useOptimisticEdits({ imageId, detail, images, browse, history, say }: EditNeeds) {
  const pending = ref<PendingEdit[]>([])
  /** Classes whose edit main refused, to flash them. */
  const reverted = ref<{ imageId: number; codes: string[] } | null>(null)
  const { labels, intensities, image } = useLabelsOnScreen(imageId, detail, pending)
  const saving = computed(() => pending.value.length > 0)
  const reloadSoon = useReloadWhenQuiet({ imageId, pending, images, history })
  let seq = 0

  /** Main answered: the edit leaves the queue, and if kept becomes part of the saved labels. */
  function settle(p: PendingEdit, keep: boolean): void {
    pending.value = pending.value.filter((x) => x.key !== p.key)
    const saved = images.details.get(p.imageId)
    if (!keep || !saved) return
    const next = applyChanges({ ...saved.labels }, p.changes)
    images.details.set(p.imageId, { ...saved, labels: next, labelDetails: storedAfter(saved.labelDetails, p.changes) })
    browse.patchLabels(p.imageId, next)
  }

  /** Saves label changes on the shown image: visible at once, confirmed or taken back when main answers. */
  async function edit(changes: LabelChange[], label: string, reason = ''): Promise<void> {
    if (!image.value) return
    if (!changes.length) return say('info', `Nothing to change: ${label} already.`)
    if (!(await history.ensureAnnotator()))
      return say('info', 'Not saved: give your name first, so that the history says who changed what.')
    const p: PendingEdit = { key: ++seq, imageId: image.value.id, changes, label }
    // Queued before the screen changes: the request leaves while the page draws the edit.
    const saved = history.enqueue(() => call('labels.edit', { changes, reason: reason || 'label view' }))
    pending.value = [...pending.value, p]
    reverted.value = null
    say('saving', `Saving: ${label}…`)
    try {
      const result = await saved
      settle(p, true)
      if (result.editId !== null) history.record({ editId: result.editId, imageIds: [p.imageId], label })
      say('saved', `Saved: ${label}${result.editId !== null ? ` (edit ${result.editId})` : ''}`)
      reloadSoon(p.imageId)
    } catch (e) {
      settle(p, false)
      reverted.value = { imageId: p.imageId, codes: changes.map((c) => c.code) }
      say('error', `Not saved: ${label}. ${(e as Error).message} The label is back to what it was.`)
    }
  }

  return { pending, reverted, labels, intensities, image, saving, edit }
}
