// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import type { DatasetSummary } from '@shared/contract'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { allByRole, getByRole } from '../components/user-view.test-kit'
import { fakeTransport } from '../stores/fake-transport.test-kit'
import { useWorkspaceStore } from '../stores/workspace'
import ExportView from './ExportView.vue'

const dataset: DatasetSummary = {
  id: 1,
  name: 'demo-emotion',
  format: 'folder',
  root: '/data/emotion',
  classCodes: ['happy'],
  multiLabel: false,
  images: 1200,
  splits: { train: 1000, val: 100, test: 100 },
}

/** The export view over a fake main whose `datasets.list` answers with `datasets` (or refuses with its message). */
async function exportView(datasets: () => DatasetSummary[]) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const fake = fakeTransport('headless', {
    'app.info': () => ({ annotator: 'ana', workspace: { path: '/ws' }, backends: [], recentWorkspaces: [] }),
    'runs.list': () => [],
    'runs.bestMetrics': () => [],
    'datasets.list': datasets,
    'exports.list': () => [],
    'exports.create': () => {
      throw new Error('the disk is full')
    },
  })
  await useWorkspaceStore().refresh()
  const view = mount(ExportView, { global: { plugins: [pinia] } })
  await flushPromises()
  return Object.assign(view, { calls: fake.calls })
}

describe('the export view', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('offers each dataset of the workspace to limit an export to', async () => {
    const view = await exportView(() => [dataset])
    expect(getByRole(view.element, 'checkbox', /demo-emotion/).closest('label')?.textContent).toContain('1,200 images')
    expect(allByRole(view.element, 'alert')).toEqual([])
  })

  it('says so when the datasets cannot be listed, instead of showing an empty list', async () => {
    const view = await exportView(() => {
      throw new Error('The catalogue is locked by another process.')
    })
    expect(allByRole(view.element, 'checkbox')).toEqual([])
    expect(getByRole(view.element, 'alert').textContent).toBe(
      'Could not list the datasets: The catalogue is locked by another process. Until they are listed, an export covers every dataset.',
    )
  })

  it("exports the labels under OpenFace's column names when the coder chooses them", async () => {
    const view = await exportView(() => [dataset])
    getByRole(view.element, 'button', 'Export labels').click()
    await flushPromises()
    const openface = getByRole(view.element, 'radio', /OpenFace/) as HTMLInputElement
    openface.checked = true
    openface.dispatchEvent(new Event('change'))
    await flushPromises()
    getByRole(view.element, 'button', 'Export labels').click()
    await flushPromises()
    const asked = view.calls.filter((c) => c.method === 'exports.create').map((c) => c.args)
    expect(asked).toEqual([
      { kind: 'labels', columns: 'workbench', saveAs: false },
      { kind: 'labels', columns: 'openface', saveAs: false },
    ])
  })
})
