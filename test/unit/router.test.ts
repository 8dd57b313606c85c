import { afterEach, describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../src/shared/errors'
import { testWorkbench } from '../helpers/workbench'

describe('router', () => {
  let wb: ReturnType<typeof testWorkbench>
  afterEach(() => wb?.cleanup())

  it('answers app.info with version, backends and the open workspace', async () => {
    wb = testWorkbench()
    const result = await wb.router.call('app.info', {})
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const info = result.value as { version: string; backends: unknown[]; workspace: { path: string } | null }
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(info.backends).toEqual([{ backend: 'cpu', available: true, reason: 'always available' }])
    expect(info.workspace?.path).toContain('ws')
  })

  it('refuses an unknown method by name', async () => {
    wb = testWorkbench()
    expect(await wb.router.call('images.delete', {})).toEqual({ ok: false, error: { code: 'unknown_method', message: 'There is no method "images.delete".', details: { method: 'images.delete' } } })
  })

  it('names the field of invalid arguments and never runs the handler', async () => {
    wb = testWorkbench()
    const result = await wb.router.call('images.page', { limit: 0, splits: ['training'] })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid_arguments')
    const fields = (result.error.details!.issues as { field: string }[]).map((i) => i.field).sort()
    expect(fields).toEqual(['limit', 'splits.0'])
  })

  it('turns a service error into data, without a stack trace', async () => {
    wb = testWorkbench()
    const result = await wb.router.call('images.get', { id: 999 })
    expect(result).toEqual({ ok: false, error: { code: 'not_found', message: 'No image with id 999 (id) in this workspace.', details: { field: 'id', id: 999 } } })
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/)
  })

  it('says no workspace is open in the words of the empty state', async () => {
    wb = testWorkbench()
    await wb.router.call('workspace.close', {})
    const result = await wb.router.call('datasets.list', {})
    expect(result).toEqual({ ok: false, error: new WorkbenchError('no_workspace', 'No workspace open: create one, or create the demo workspace.').toData() })
  })
})
