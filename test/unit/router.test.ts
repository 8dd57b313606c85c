import { afterEach, describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../src/shared/errors'
import { callLimit, DEFAULT_CALL_LIMIT_MS } from '../../src/main/app/call-limits'
import { createHandlers } from '../../src/main/app/handlers/index'
import { createRouter } from '../../src/main/app/router'
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
    expect(await wb.router.call('images.delete', {})).toEqual({
      ok: false,
      error: {
        code: 'unknown_method',
        message: 'There is no method "images.delete".',
        details: { method: 'images.delete' },
      },
    })
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
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'not_found',
        message: 'No image with id 999 (id) in this workspace.',
        details: { field: 'id', id: 999 },
      },
    })
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/)
  })

  it('says no workspace is open in the words of the empty state', async () => {
    wb = testWorkbench()
    await wb.router.call('workspace.close', {})
    const result = await wb.router.call('datasets.list', {})
    expect(result).toEqual({
      ok: false,
      error: new WorkbenchError(
        'no_workspace',
        'No workspace open: create one, or create the demo workspace.',
      ).toData(),
    })
  })

  it('answers a call that runs past its time limit with a timeout error, and keeps answering others', async () => {
    wb = testWorkbench()
    const late: unknown[] = []
    let finish: (value: { annotator: string }) => void = () => {}
    const handlers = {
      ...createHandlers(wb.ctx),
      'app.setAnnotator': () => new Promise<{ annotator: string }>((ok) => (finish = ok)),
    }
    const router = createRouter(handlers, {
      timeLimit: (method) => (method === 'app.setAnnotator' ? 50 : 5000),
      onUnexpected: (_, e) => late.push(e),
    })
    const hung = await router.call('app.setAnnotator', { annotator: 'ana' })
    expect(hung).toEqual({
      ok: false,
      error: {
        code: 'timeout',
        message:
          'app.setAnnotator did not finish within 0.05 s, so the workbench stopped waiting for it. What it started may still finish: look again in a moment.',
        details: { method: 'app.setAnnotator', limitMs: 50 },
      },
    })
    expect((await router.call('datasets.list', {})).ok).toBe(true)
    finish({ annotator: 'ana' })
    expect(late).toEqual([])
  })

  it('gives jobs (imports, the demo, exports, runs) longer than ordinary calls', () => {
    expect(callLimit('images.page')).toBe(DEFAULT_CALL_LIMIT_MS)
    for (const job of ['import.run', 'demo.create', 'exports.create', 'runs.start', 'runs.evaluate'] as const)
      expect(callLimit(job)).toBeGreaterThan(DEFAULT_CALL_LIMIT_MS)
  })
})
