// @vitest-environment happy-dom
import type { BrowseItem, ImageDetail, RunSummary, WorkspaceInfo } from '@shared/contract'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useBrowseStore } from './browse'
import { useCatalogueStore } from './catalogue'
import { fakeTransport } from './fake-transport.test-kit'
import { useLabelStore } from './labelling'
import { useRunsStore } from './runs'
import { useSelectionStore } from './selection'
import { useWorkspaceStore } from './workspace'

const workspace = (path: string): WorkspaceInfo => ({ path, name: path.slice(1), datasets: 1, images: 1 })
const item: BrowseItem = {
  id: 7,
  datasetId: 1,
  dataset: 'emotions',
  path: 'a/7.png',
  split: 'train',
  width: 48,
  height: 48,
  reviewStatus: 'to_review',
  labels: { happy: 1 },
}
const image: ImageDetail = {
  ...item,
  labelDetails: [],
  labelSpace: ['happy'],
  multiLabel: false,
  note: '',
  faceBox: null,
  attributes: {},
  history: [],
  face: {
    sourcePath: item.path,
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
const run = { id: 3, name: 'sjmt', hasPredictions: true } as RunSummary

let main: ReturnType<typeof fakeTransport>

/** Workspace A open, its catalogue walked (filtered, one image selected and shown), its runs listed. */
async function workedIn(path: string | null) {
  setActivePinia(createPinia())
  main = fakeTransport('headless', {
    'app.info': () => ({
      annotator: 'ana',
      workspace: path ? workspace(path) : null,
      backends: [],
      recentWorkspaces: [],
    }),
    'datasets.list': () => [{ id: 1, name: 'emotions' }],
    'classes.list': () => [],
    'labels.availability': () => ({ datasets: [] }),
    'runs.list': () => [run],
    'runs.bestMetrics': () => [],
    'images.browse': () => ({ items: [item], total: 1 }),
    'images.get': () => image,
    'images.predictions': () => null,
  })
  await useWorkspaceStore().refresh()
  const stores = {
    catalogue: useCatalogueStore(),
    browse: useBrowseStore(),
    selection: useSelectionStore(),
    label: useLabelStore(),
    runs: useRunsStore(),
  }
  await stores.catalogue.load()
  await stores.browse.setQuery({ splits: ['train'] })
  stores.selection.only(7, 0)
  await stores.label.open(7, 0)
  await stores.runs.loadList()
  return stores
}

beforeEach(() => setActivePinia(createPinia()))

describe('switching workspaces', () => {
  it('forgets the old catalogue, filter, selection, shown image and runs', async () => {
    const { catalogue, browse, selection, label, runs } = await workedIn('/a')
    expect([catalogue.loaded, browse.total, selection.count, label.imageId, runs.runs.length]).toEqual([
      true,
      1,
      1,
      7,
      1,
    ])
    main.emit('workspace.changed', { workspace: workspace('/b') })
    await flushPromises()
    expect(catalogue.loaded).toBe(false)
    expect(catalogue.datasets).toEqual([])
    expect(browse.filter).toEqual({})
    expect(browse.total).toBeNull()
    expect(selection.count).toBe(0)
    expect(label.imageId).toBeNull()
    expect(label.detail).toBeNull()
    expect(runs.runs).toEqual([])
  })

  it('forgets them too when the workspace is closed', async () => {
    const { catalogue, browse, selection, label } = await workedIn('/a')
    main.emit('workspace.changed', { workspace: null })
    await flushPromises()
    expect([catalogue.loaded, browse.total, selection.count, label.imageId]).toEqual([false, null, 0, null])
  })

  it('keeps what was shown when the first workspace opens, except the runs listed before it', async () => {
    const { catalogue, browse, selection, label, runs } = await workedIn(null)
    main.emit('workspace.changed', { workspace: workspace('/a') })
    await flushPromises()
    expect([catalogue.loaded, browse.total, selection.count, label.imageId]).toEqual([true, 1, 1, 7])
    expect(runs.runs).toEqual([])
  })
})
