import { clearKindChanges, labelChangesFor, type ChoiceImage, type ImageDetail, type ImagePredictions, type LabelChange, type ReviewStatus } from '@shared/contract'
import type { ClassKind, LabelValue } from '@shared/labels'
import { defineStore } from 'pinia'
import { computed, ref, shallowReactive } from 'vue'
import { call, mediaUrl, on } from '../api'
import { acceptAll, acceptOne } from '../composables/accept-predictions'
import { useBrowseStore } from './browse'
import { useCatalogueStore } from './catalogue'
import { useEditHistoryStore, type RecordedEdit } from './edit-history'

// The label view: one image of the catalogue walk, its labels as saved plus the edits on their way
// (shown at once, taken back visibly if main refuses them), its run's predictions, next/previous.

export interface PendingEdit { key: number; imageId: number; changes: LabelChange[]; label: string }
export interface SaveStatus { kind: 'idle' | 'saving' | 'saved' | 'error' | 'info'; message: string }

function applyChanges(labels: Record<string, LabelValue>, changes: LabelChange[]): Record<string, LabelValue> {
  for (const c of changes) {
    if (c.value === null) delete labels[c.code]
    else labels[c.code] = c.value
  }
  return labels
}

const NONE: string[] = []

const stateWord = (v: LabelValue | null) => (v === 1 ? 'present' : v === 0 ? 'absent' : 'unknown')

export const useLabelStore = defineStore('label', () => {
  const browse = useBrowseStore()
  const catalogue = useCatalogueStore()
  const history = useEditHistoryStore()

  const imageId = ref<number | null>(null)
  /** Where the image sits in the catalogue walk (null when the filter leaves it out). */
  const index = ref<number | null>(null)
  const details = shallowReactive(new Map<number, ImageDetail>())
  const predictionsById = shallowReactive(new Map<number, ImagePredictions | null>())
  const pending = ref<PendingEdit[]>([])
  const status = ref<SaveStatus>({ kind: 'idle', message: '' })
  /** Classes whose edit main refused, to flash them. */
  const reverted = ref<{ imageId: number; codes: string[] } | null>(null)
  const loadError = ref<string | null>(null)
  let wantedIndex: number | null = null
  let navigation = 0
  let seq = 0

  const detail = computed(() => (imageId.value === null ? null : (details.get(imageId.value) ?? null)))
  const predictions = computed(() => (imageId.value === null ? null : (predictionsById.get(imageId.value) ?? null)))
  /** Saved labels with the edits on their way applied: what the coder sees. */
  const labels = computed<Record<string, LabelValue>>(() => {
    const out: Record<string, LabelValue> = { ...(detail.value?.labels ?? {}) }
    for (const p of pending.value) if (p.imageId === imageId.value) applyChanges(out, p.changes)
    return out
  })
  // Parts of the image that an edit does not change keep their identity, so that a label edit
  // redraws the changed control only (keypress to saved stays within a frame).
  const labelSpace = computed(() => detail.value?.labelSpace ?? NONE)
  const historyOfImage = computed(() => detail.value?.history ?? [])
  const reviewStatus = computed(() => detail.value?.reviewStatus ?? null)
  const image = computed<ChoiceImage | null>(() => (detail.value ? { id: detail.value.id, labelSpace: detail.value.labelSpace, labels: labels.value } : null))
  const saving = computed(() => pending.value.length > 0)

  async function loadDetail(id: number, force = false): Promise<void> {
    if (!force && details.has(id)) return
    const d = await call('images.get', { id })
    if (details.size > 60) details.delete(details.keys().next().value!)
    details.set(id, d)
  }

  async function loadPredictions(id: number, force = false): Promise<void> {
    const runId = browse.filter.runId
    if (runId === undefined) return void predictionsById.set(id, null)
    if (!force && predictionsById.has(id) && predictionsById.get(id)?.runId === runId) return
    predictionsById.set(id, await call('images.predictions', { imageId: id, runId }))
  }

  /** Loads the next image's labels and picture ahead, so that "next" shows at once. */
  async function prefetch(at: number): Promise<void> {
    const id = await browse.idAt(at).catch(() => null)
    if (id === null) return
    new Image().src = mediaUrl(id, 'full')
    await Promise.all([loadDetail(id), loadPredictions(id)]).catch(() => undefined)
  }

  /** Shows one image; without an index, asks main where it sits in the catalogue walk. */
  async function open(id: number, at?: number | null): Promise<void> {
    const token = ++navigation
    loadError.value = null
    try {
      await Promise.all([catalogue.ensureLoaded(), loadDetail(id), loadPredictions(id)])
      if (at === undefined) at = (await call('images.position', { ...browse.query, id })).index
    } catch (e) {
      if (token === navigation) loadError.value = (e as Error).message
      return
    }
    if (token !== navigation) return
    imageId.value = id
    index.value = at ?? null
    wantedIndex = index.value
    if (index.value !== null) {
      browse.anchorIndex = index.value
      void prefetch(index.value + 1)
    }
  }

  /** Next (+1) or previous (-1) image of the catalogue walk. */
  async function step(delta: 1 | -1): Promise<void> {
    const from = wantedIndex ?? index.value
    if (from === null) return void (status.value = { kind: 'info', message: 'This image is not in the filtered catalogue: go back to the catalogue to choose one.' })
    const target = from + delta
    const total = browse.total ?? (await browse.idAt(0), browse.total ?? 0)
    if (target < 0 || target >= total) return void (status.value = { kind: 'info', message: delta > 0 ? 'This is the last image of the catalogue walk.' : 'This is the first image.' })
    wantedIndex = target
    const id = await browse.idAt(target)
    if (id !== null && wantedIndex === target) await open(id, target)
  }

  function settle(p: PendingEdit, keep: boolean): void {
    pending.value = pending.value.filter((x) => x.key !== p.key)
    const saved = details.get(p.imageId)
    if (!keep || !saved) return
    const next = applyChanges({ ...saved.labels }, p.changes)
    details.set(p.imageId, { ...saved, labels: next })
    browse.patchLabels(p.imageId, next)
  }

  let reloadTimer: ReturnType<typeof setTimeout> | undefined
  /** Fetches the image again once the queue is quiet: its history now holds the new edits. */
  function reloadSoon(id: number): void {
    clearTimeout(reloadTimer)
    reloadTimer = setTimeout(() => {
      if (history.inFlight > 0 || pending.value.some((p) => p.imageId === id)) return reloadSoon(id)
      loadDetail(id, true).catch(() => undefined)
    }, 300)
  }

  /** Saves label changes on the shown image: visible at once, confirmed or taken back when main answers. */
  async function edit(changes: LabelChange[], label: string, reason = ''): Promise<void> {
    if (!image.value) return
    if (!changes.length) return void (status.value = { kind: 'info', message: `Nothing to change: ${label} already.` })
    if (!(await history.ensureAnnotator())) return void (status.value = { kind: 'info', message: 'Not saved: give your name first, so that the history says who changed what.' })
    const p: PendingEdit = { key: ++seq, imageId: image.value.id, changes, label }
    // Queued before the screen changes: the request leaves while the page draws the edit.
    const saved = history.enqueue(() => call('labels.edit', { changes, reason: reason || 'label view' }))
    pending.value = [...pending.value, p]
    reverted.value = null
    status.value = { kind: 'saving', message: `Saving: ${label}…` }
    try {
      const result = await saved
      settle(p, true)
      if (result.editId !== null) history.record({ editId: result.editId, imageIds: [p.imageId], label })
      status.value = { kind: 'saved', message: `Saved: ${label}${result.editId !== null ? ` (edit ${result.editId})` : ''}` }
      reloadSoon(p.imageId)
    } catch (e) {
      settle(p, false)
      reverted.value = { imageId: p.imageId, codes: changes.map((c) => c.code) }
      status.value = { kind: 'error', message: `Not saved: ${label}. ${(e as Error).message} The label is back to what it was.` }
    }
  }

  const className = (code: string) => catalogue.classByCode.get(code)?.name ?? code

  /** Sets one class present, absent or unknown (emotions stay single-choice). */
  function setLabel(code: string, value: LabelValue | null): Promise<void> {
    if (!image.value) return Promise.resolve()
    return edit(labelChangesFor(image.value, catalogue.classes, code, value), `${code} ${stateWord(value)}`)
  }

  /** An AU's key: unknown or absent -> present, present -> absent. */
  const cycleAu = (code: string) => setLabel(code, labels.value[code] === 1 ? 0 : 1)

  /** Chooses an emotion (or compound), or makes the whole kind unknown. */
  function choose(kind: ClassKind, code: string | null): Promise<void> {
    if (!image.value) return Promise.resolve()
    if (code === null) return edit(clearKindChanges(image.value, catalogue.classes, kind), `${kind === 'compound' ? 'compound emotion' : 'emotion'} unknown`)
    return edit(labelChangesFor(image.value, catalogue.classes, code, 1), `${kind === 'compound' ? 'compound emotion' : 'emotion'} ${className(code).toLowerCase()}`)
  }

  const acceptReason = () => `accepted prediction of run ${predictions.value?.runId} (${predictions.value?.runName})`

  /** Accepts the prediction for one class (an emotion or compound accepts the most likely of its kind). */
  function acceptPrediction(code: string): Promise<void> {
    if (!image.value || !predictions.value) return Promise.resolve()
    const changes = acceptOne(image.value, catalogue.classes, predictions.value.probabilities, code)
    return edit(changes, `prediction for ${code} accepted`, acceptReason())
  }

  /** Accepts every prediction of the image in one edit. */
  function acceptAllPredictions(): Promise<void> {
    if (!image.value) return Promise.resolve()
    if (!predictions.value) return Promise.resolve(void (status.value = { kind: 'info', message: 'No run has predictions for this image.' }))
    return edit(acceptAll(image.value, catalogue.classes, predictions.value.probabilities), 'all predictions accepted', acceptReason())
  }

  /** Review status (and note) of the shown image; not a label edit, so not in the undo chain. */
  async function setReview(reviewStatus: ReviewStatus, note?: string): Promise<void> {
    const d = detail.value
    if (!d) return
    details.set(d.id, { ...d, reviewStatus, note: note ?? d.note })
    status.value = { kind: 'saving', message: note === undefined ? `Saving: ${reviewStatus.replace('_', ' ')}…` : 'Saving the note…' }
    try {
      await history.enqueue(() => call('images.setReview', { imageIds: [d.id], status: reviewStatus, ...(note === undefined ? {} : { note }) }))
      browse.patchReview([d.id], reviewStatus)
      status.value = { kind: 'saved', message: note === undefined ? `Saved: ${reviewStatus.replace('_', ' ')}` : 'Saved: note' }
    } catch (e) {
      const now = details.get(d.id)
      if (now) details.set(d.id, { ...now, reviewStatus: d.reviewStatus, note: d.note })
      status.value = { kind: 'error', message: `Not saved: ${(e as Error).message} The review status is back to ${d.reviewStatus.replace('_', ' ')}.` }
    }
  }

  /** After an undo or redo: show the image it changed, with its labels as main has them now. */
  async function showHistoryStep(edit: RecordedEdit | null, verb: string): Promise<void> {
    if (!edit) return void (status.value = { kind: 'info', message: `Nothing to ${verb.toLowerCase()}.` })
    for (const id of edit.imageIds) details.delete(id)
    const target = edit.imageIds.length === 1 ? edit.imageIds[0] : imageId.value
    if (target !== null) await (target === imageId.value ? loadDetail(target, true) : open(target))
    for (const id of edit.imageIds) if (details.has(id)) browse.patchLabels(id, details.get(id)!.labels)
    status.value = { kind: 'saved', message: `${verb}: ${edit.label}${edit.imageIds.length > 1 ? ` on ${edit.imageIds.length} images` : ''}` }
  }

  /** Undoes this window's latest edit, on whichever image it was. */
  const undo = () => history.undo().then((e) => showHistoryStep(e, 'Undone'), (e: Error) => void (status.value = { kind: 'error', message: `Could not undo: ${e.message}` }))
  /** Redoes the latest undone edit. */
  const redo = () => history.redo().then((e) => showHistoryStep(e, 'Redone'), (e: Error) => void (status.value = { kind: 'error', message: `Could not redo: ${e.message}` }))

  /** Undoes one edit of the shown image's history on this image only. */
  async function revert(editId: number): Promise<void> {
    const id = imageId.value
    if (id === null || !(await history.ensureAnnotator())) return
    try {
      const result = await history.enqueue(() => call('labels.revert', { editId, imageId: id }))
      if (result.editId !== null) history.record({ editId: result.editId, imageIds: [id], label: `undo of edit ${editId}` })
      await loadDetail(id, true)
      browse.patchLabels(id, details.get(id)!.labels)
      status.value = { kind: 'saved', message: `Undone: edit ${editId} on this image` }
    } catch (e) {
      status.value = { kind: 'error', message: `Could not undo edit ${editId}: ${(e as Error).message}` }
    }
  }

  /** Forgets what was loaded (another workspace, or a new run chosen). */
  function reset(): void {
    details.clear()
    predictionsById.clear()
    imageId.value = null
    index.value = null
    wantedIndex = null
  }

  on('labels.changed', ({ imageIds }) => {
    const id = imageId.value
    if (id !== null && imageIds.includes(id) && !pending.value.length && history.inFlight === 0) reloadSoon(id)
  })

  return {
    imageId, index, detail, labels, labelSpace, history: historyOfImage, reviewStatus, image, predictions, pending, saving, status, reverted, loadError,
    open, step, setLabel, cycleAu, choose, acceptPrediction, acceptAllPredictions, setReview, undo, redo, revert, reset, loadPredictions,
  }
})
