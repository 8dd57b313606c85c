import type { CoderQueue, CodingView, SessionInfo } from '@shared/contract'
import type { LabelClass, LabelValue } from '@shared/labels'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call } from '../api'

// A coder's own work (issue 14): who the server says they are, their queue of assigned images, and
// the image they are coding. Each code is saved as it is set; Commit ends the blind phase of the
// image, after which the server sends the other coders' codes, the consensus and the predictions.

export const useCodingStore = defineStore('coding', () => {
  const session = ref<SessionInfo | null>(null)
  const queue = ref<CoderQueue | null>(null)
  const view = ref<CodingView | null>(null)
  const classes = ref<LabelClass[]>([])
  const error = ref<string | null>(null)
  const saving = ref(false)

  const mine = computed<Record<string, LabelValue>>(() =>
    Object.fromEntries((view.value?.mine ?? []).map((c) => [c.code, c.value])),
  )
  const position = computed(() => queue.value?.items.findIndex((i) => i.imageId === view.value?.image.id) ?? -1)

  async function guarded<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      error.value = null
      return await work()
    } catch (e) {
      error.value = (e as Error).message
      return null
    }
  }

  /** Who the server says this page's user is (a coder's link on a lab server, or the local user). */
  async function loadSession(): Promise<void> {
    await guarded(async () => {
      session.value = await call('session.get', {})
    })
  }

  /** Session, classes and queue; opens the first image not yet committed. */
  async function load(): Promise<void> {
    await guarded(async () => {
      session.value = await call('session.get', {})
      if (!classes.value.length) classes.value = await call('classes.list', {})
      queue.value = await call('queue.get', {})
      const next = queue.value.items.find((i) => !i.committed) ?? queue.value.items[0]
      if (next && !view.value) await open(next.imageId)
    })
  }

  async function open(imageId: number): Promise<void> {
    await guarded(async () => {
      view.value = await call('codings.image', { imageId })
    })
  }

  async function step(delta: number): Promise<void> {
    const items = queue.value?.items ?? []
    const next = items[position.value + delta]
    if (next) await open(next.imageId)
  }

  async function setCode(code: string, value: LabelValue | null): Promise<void> {
    if (!view.value) return
    const imageId = view.value.image.id
    saving.value = true
    await guarded(async () => {
      await call('codings.save', { imageId, changes: [{ code, value }] })
      view.value = await call('codings.image', { imageId })
    })
    saving.value = false
  }

  async function commit(): Promise<void> {
    if (!view.value) return
    const imageId = view.value.image.id
    await guarded(async () => {
      view.value = await call('codings.commit', { imageId })
      queue.value = await call('queue.get', {})
    })
  }

  return {
    session,
    queue,
    view,
    classes,
    error,
    saving,
    mine,
    position,
    loadSession,
    load,
    open,
    step,
    setCode,
    commit,
  }
})
