// @vitest-environment happy-dom
import type { ExportResult } from '@shared/contract'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeTransport } from './fake-transport.test-kit'
import { useExportsStore } from './exports'

const written: ExportResult = {
  id: 'abcdefghijklmnop',
  kind: 'labels',
  fileName: 'ws-labels.csv',
  file: '/ws/exports/abcdefghijklmnop/ws-labels.csv',
  sidecar: null,
  rows: 3,
  columns: ['image_id'],
  bytes: 40,
  savedTo: 'workspace',
  runId: null,
  createdAt: '2025-01-01T00:00:00Z',
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.restoreAllMocks())

describe('the exports store', () => {
  it('in the browser: writes into the workspace, then downloads the file by its id', async () => {
    const main = fakeTransport('headless', { 'exports.create': () => written, 'exports.list': () => [written] })
    const clicked: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.getAttribute('href')!)
    })
    const store = useExportsStore()
    await store.create({ kind: 'labels' })
    expect(main.calls.find((c) => c.method === 'exports.create')?.args).toEqual({ kind: 'labels', saveAs: false })
    expect(clicked).toEqual(['/download/abcdefghijklmnop'])
    expect(store.progress).toEqual({ done: 3, total: 3 })
    expect(store.earlier).toEqual([written])
  })

  it('in the desktop app: asks main for a save dialog and downloads nothing; a cancelled dialog says so', async () => {
    let cancel = false
    const main = fakeTransport('electron', {
      'exports.create': () => (cancel ? { cancelled: true } : { ...written, savedTo: 'chosen' }),
    })
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    const store = useExportsStore()
    await store.create({ kind: 'label-edits' })
    expect(main.calls[0].args).toEqual({ kind: 'label-edits', saveAs: true })
    expect(click).not.toHaveBeenCalled()
    expect(store.last?.savedTo).toBe('chosen')
    cancel = true
    await store.create({ kind: 'labels' })
    expect(store.notice).toBe('Export cancelled: no file was chosen.')
  })

  it('follows export.progress of the export it is writing', async () => {
    let progressSeen: unknown = null
    const main = fakeTransport('headless', {
      'exports.create': () => {
        main.emit('export.progress', { exportId: 'x', kind: 'labels', done: 2, total: 3 })
        progressSeen = store.progress
        return written
      },
      'exports.list': () => [],
    })
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    const store = useExportsStore()
    await store.create({ kind: 'labels' })
    expect(progressSeen).toEqual({ done: 2, total: 3 })
  })
})
