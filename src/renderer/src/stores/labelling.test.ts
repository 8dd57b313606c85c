// @vitest-environment happy-dom
import type { ImageDetail } from '@shared/contract'
import type { CallResult } from '@shared/errors'
import type { LabelClass } from '@shared/labels'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { setTransport } from '../api/transport'
import { useCatalogueStore } from './catalogue'
import { useEditHistoryStore } from './edit-history'
import { useLabelStore } from './labelling'
import { useWorkspaceStore } from './workspace'

const classes: LabelClass[] = [
  { code: 'happy', kind: 'emotion', name: 'Happy', description: '' },
  { code: 'sad', kind: 'emotion', name: 'Sad', description: '' },
  { code: 'AU12', kind: 'au', name: 'Lip Corner Puller', description: '', auNumber: 12 },
]
const image: ImageDetail = {
  id: 7,
  datasetId: 1,
  dataset: 'emotions',
  path: 'a/7.png',
  split: 'train',
  width: 48,
  height: 48,
  reviewStatus: 'to_review',
  labels: { happy: 0, sad: 1 },
  labelDetails: [],
  labelSpace: ['happy', 'sad'],
  multiLabel: false,
  note: '',
  faceBox: null,
  attributes: {},
  history: [],
  face: {
    sourcePath: 'a/7.png',
    index: null,
    origin: 'whole',
    box: null,
    score: null,
    landmarks: [],
    notAFace: false,
    photoWidth: 48,
    photoHeight: 48,
    facesInPhoto: 1,
  },
  faceHistory: [],
}

/** A fake main: answers reads, and holds each label edit until the test lets it through or refuses it. */
function fakeMain() {
  const edits: { args: unknown; answer(result: CallResult<unknown>): void }[] = []
  const calls: string[] = []
  setTransport({
    kind: 'headless',
    mediaUrl: () => '',
    on: () => () => undefined,
    invoke: (method, args) => {
      calls.push(method)
      const value: Record<string, unknown> = {
        'app.info': { annotator: 'ana', workspace: { path: '/ws' }, backends: [], recentWorkspaces: [] },
        'classes.list': classes,
        'datasets.list': [],
        'labels.availability': { datasets: [] },
        'runs.list': [],
        'images.get': image,
        'images.predictions': null,
        'images.position': { index: 0, total: 1 },
      }
      if (method === 'labels.edit') return new Promise((answer) => edits.push({ args, answer }))
      return Promise.resolve({ ok: true, value: value[method] })
    },
  })
  return { edits, calls }
}

async function shownImage() {
  setActivePinia(createPinia())
  await useWorkspaceStore().refresh()
  await useCatalogueStore().load()
  const store = useLabelStore()
  await store.open(7, 0)
  return store
}

describe('optimistic label edits', () => {
  let main: ReturnType<typeof fakeMain>
  beforeEach(() => {
    main = fakeMain()
  })

  it('shows an edit at once, and says saved only when main has it', async () => {
    const store = await shownImage()
    const saving = store.choose('emotion', 'happy')
    await new Promise((r) => setTimeout(r)) // main has not answered
    expect(store.labels).toEqual({ happy: 1, sad: 0 })
    expect(store.status.kind).toBe('saving')
    main.edits[0].answer({ ok: true, value: { editId: 12, changed: 2, at: '' } })
    await saving
    expect(store.status.message).toBe('Saved: emotion happy (edit 12)')
    expect(useEditHistoryStore().undoStack).toEqual([{ editId: 12, imageIds: [7], label: 'emotion happy' }])
  })

  it('takes a refused edit back on screen and says why', async () => {
    const store = await shownImage()
    const saving = store.setLabel('AU12', 1)
    await new Promise((r) => setTimeout(r))
    expect(store.labels.AU12).toBe(1)
    main.edits[0].answer({ ok: false, error: { code: 'conflict', message: 'The catalogue is locked.' } })
    await saving
    expect(store.labels).toEqual({ happy: 0, sad: 1 })
    expect(store.status).toEqual({
      kind: 'error',
      message: 'Not saved: AU12 present. The catalogue is locked. The label is back to what it was.',
    })
    expect(store.reverted).toEqual({ imageId: 7, codes: ['AU12'] })
  })

  it('sends edits one after another, in the order they were made', async () => {
    const store = await shownImage()
    const first = store.setLabel('AU12', 1)
    const second = store.setLabel('AU12', 0)
    await new Promise((r) => setTimeout(r))
    expect(main.edits).toHaveLength(1)
    main.edits[0].answer({ ok: true, value: { editId: 1, changed: 1, at: '' } })
    await first
    await new Promise((r) => setTimeout(r))
    expect(main.edits).toHaveLength(2)
    expect(main.edits[1].args).toMatchObject({ changes: [{ code: 'AU12', value: 0 }] })
    main.edits[1].answer({ ok: true, value: { editId: 2, changed: 1, at: '' } })
    await second
    expect(store.labels.AU12).toBe(0)
  })
})
