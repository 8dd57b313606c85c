// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import type { ImportReport } from '@shared/contract'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { fakeTransport } from '../stores/fake-transport.test-kit'
import { allByRole, getByRole } from './user-view.test-kit'
import ImportPanel from './ImportPanel.vue'

const report: ImportReport = {
  dataset: 'study',
  datasetId: 1,
  format: 'folder',
  root: '/photos',
  imported: 5,
  alreadyImported: 0,
  skipped: 1,
  skippedByReason: { 'no face found': 1 },
  notes: 0,
  notesByReason: {},
  issues: [{ file: 'rocket.jpg', reason: 'no face found', detail: 'rocket.jpg: no face found' }],
  issuesLeftOff: {},
  labelSpace: [],
  labels: 0,
  seconds: 3,
  faces: { mode: 'detect', photosSearched: 4, facesFound: 5, photosWithoutFace: 1, boxCrops: 0, backend: 'wasm' },
  leakage: 0,
}

describe('the import form', () => {
  it('imports with the faces choice, shows progress and Stop while it runs, then what it did', async () => {
    setActivePinia(createPinia())
    let finish: (r: ImportReport) => void = () => {}
    const main = fakeTransport('headless', {
      'import.formats': () => [
        { format: 'folder', describe: 'class folders, or a flat folder of photos' },
        { format: 'csv', describe: 'a CSV' },
      ],
      'import.run': () => new Promise<ImportReport>((resolve) => (finish = resolve)),
      'import.stop': () => ({ stopped: true }),
      'datasets.list': () => [],
      'runs.list': () => [],
    })
    const view = mount(ImportPanel, { attachTo: document.body })
    await flushPromises()
    const path = getByRole(view.element, 'textbox', 'Dataset folder or label file') as HTMLInputElement
    path.value = '/photos'
    path.dispatchEvent(new Event('input'))
    getByRole(view.element, 'radio', 'Find every face in each photo').click()
    await flushPromises()
    getByRole(view.element, 'button', 'Import').click()
    await flushPromises()
    expect(main.calls.find((c) => c.method === 'import.run')?.args).toMatchObject({
      format: 'folder',
      path: '/photos',
      faces: 'detect',
    })
    main.emit('import.progress', { dataset: 'study', done: 2, total: 4, file: 'sample1.jpg' })
    await flushPromises()
    expect(getByRole(view.element, 'progressbar', 'Finding faces: photo 2 of 4')).toBeTruthy()
    getByRole(view.element, 'button', 'Stop import').click()
    await flushPromises()
    expect(main.calls.some((c) => c.method === 'import.stop')).toBe(true)
    finish(report)
    await flushPromises()
    expect(allByRole(view.element, 'button', 'Stop import')).toEqual([])
    expect(getByRole(view.element, 'status').textContent).toBe(
      'study: imported 5 images, 0 already there, 1 skipped. 5 faces found in 4 photos, 1 without a face.',
    )
    expect(getByRole(view.element, 'list', 'Import issues').textContent).toContain('rocket.jpg: no face found')
    view.unmount()
  })
})
