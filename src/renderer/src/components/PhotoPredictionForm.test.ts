// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import type { PhotoPrediction, RunSummary } from '@shared/contract'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { fakeTransport } from '../stores/fake-transport.test-kit'
import { usePhotoPredictionStore } from '../stores/photo-prediction'
import { allByRole, getByRole } from './user-view.test-kit'
import PhotoPredictionForm from './PhotoPredictionForm.vue'

const run = { id: 3, name: 'faces and demo', status: 'finished' } as RunSummary
const prediction = {
  import: {
    dataset: 'photos-session-2',
    imported: 2,
    alreadyImported: 0,
    issues: [{ file: 'rocket.jpg', reason: 'no face found', detail: '' }],
    faces: { mode: 'detect', photosSearched: 3, facesFound: 2, photosWithoutFace: 1, boxCrops: 0, backend: 'wasm' },
  },
  predicted: 2,
  export: { id: 'abc', fileName: 'predictions-run-3.csv', file: '/ws/exports/abc/predictions-run-3.csv', rows: 2 },
} as unknown as PhotoPrediction

const typeInto = (input: HTMLElement, text: string) => {
  ;(input as HTMLInputElement).value = text
  input.dispatchEvent(new Event('input'))
}

describe('"Predict photos…" for a run', () => {
  it('in the browser: a typed folder, progress of both phases with Stop, then the CSV to download', async () => {
    setActivePinia(createPinia())
    let finish: (r: PhotoPrediction) => void = () => {}
    const main = fakeTransport('headless', {
      'runs.predictPhotos': () => new Promise<PhotoPrediction>((resolve) => (finish = resolve)),
      'runs.stopPredictPhotos': () => ({ stopped: true }),
      'datasets.list': () => [],
      'runs.list': () => [],
    })
    usePhotoPredictionStore().open(3)
    const view = mount(PhotoPredictionForm, {
      props: { run },
      attachTo: document.body,
      global: { stubs: { RouterLink: true } },
    })
    expect(allByRole(view.element, 'button', 'Choose folder…')).toEqual([]) // no folder picker in a browser
    typeInto(getByRole(view.element, 'textbox', 'Folder of photos (on the machine running the workbench)'), '/p/s2 ')
    await flushPromises()
    getByRole(view.element, 'button', 'Predict photos').click()
    await flushPromises()
    expect(main.calls.find((c) => c.method === 'runs.predictPhotos')?.args).toEqual({ id: 3, folder: '/p/s2' })
    main.emit('import.progress', { dataset: 'photos-s2', done: 1, total: 3, file: 'astronaut.png' })
    await flushPromises()
    expect(getByRole(view.element, 'progressbar', 'Finding faces: photo 1 of 3')).toBeTruthy()
    main.emit('run.predicting', { runId: 3, done: 2, total: 2 })
    main.emit('run.predicting', { runId: 9, done: 1, total: 50 }) // another run's job
    await flushPromises()
    expect(getByRole(view.element, 'progressbar', 'Predicting faces: 2 of 2')).toBeTruthy()
    getByRole(view.element, 'button', 'Stop predicting photos').click()
    await flushPromises()
    expect(main.calls.at(-1)).toEqual({ method: 'runs.stopPredictPhotos', args: { id: 3 } })
    finish(prediction)
    await flushPromises()
    expect(getByRole(view.element, 'status').textContent).toBe(
      '2 faces found in 3 photos (1 without a face); 2 new in dataset photos-session-2, 0 already there. 2 faces predicted; 2 rows written to predictions-run-3.csv.',
    )
    expect(getByRole(view.element, 'link', 'Download predictions-run-3.csv').getAttribute('href')).toBe('/download/abc')
    expect(getByRole(view.element, 'list', 'Photos not predicted').textContent).toContain('rocket.jpg: no face found')
    view.unmount()
  })

  it('in the desktop app: the folder from the folder picker; the CSV named where it was written', async () => {
    setActivePinia(createPinia())
    let picked: { folder: string } | { cancelled: true } = { cancelled: true }
    const main = fakeTransport('electron', {
      'app.chooseFolder': () => picked,
      'runs.predictPhotos': () => prediction,
      'datasets.list': () => [],
      'runs.list': () => [],
    })
    usePhotoPredictionStore().open(3)
    const view = mount(PhotoPredictionForm, {
      props: { run },
      attachTo: document.body,
      global: { stubs: { RouterLink: true } },
    })
    const folder = getByRole(view.element, 'textbox', 'Folder of photos') as HTMLInputElement
    getByRole(view.element, 'button', 'Choose folder…').click()
    await flushPromises()
    expect(folder.value).toBe('') // cancelled: nothing chosen
    picked = { folder: '/home/ana/session 2' }
    getByRole(view.element, 'button', 'Choose folder…').click()
    await flushPromises()
    expect(folder.value).toBe('/home/ana/session 2')
    typeInto(getByRole(view.element, 'textbox', 'Dataset name'), 'session-2')
    getByRole(view.element, 'button', 'Predict photos').click()
    await flushPromises()
    expect(main.calls.find((c) => c.method === 'runs.predictPhotos')?.args).toEqual({
      id: 3,
      folder: '/home/ana/session 2',
      name: 'session-2',
    })
    expect(view.text()).toContain('Predictions CSV: /ws/exports/abc/predictions-run-3.csv')
    expect(allByRole(view.element, 'alert')).toEqual([])
    view.unmount()
  })
})
