import { afterEach, describe, expect, it } from 'vitest'
import { testWorkbench } from '../helpers/workbench'
import { provideFolderDialog } from '../../src/main/app/folder-dialog'

// app.chooseFolder: the desktop app's folder picker through the contract; none in the headless mode or the CLI.

let wb: ReturnType<typeof testWorkbench> | undefined
afterEach(() => wb?.cleanup())

describe('choosing a folder', () => {
  it('answers with the folder picked, or cancelled; says where there is no folder picker', async () => {
    wb = testWorkbench()
    const none = await wb.router.call('app.chooseFolder', { title: 'Folder of photos to predict' })
    expect(!none.ok && none.error).toMatchObject({
      code: 'invalid_arguments',
      message: expect.stringContaining('Only the desktop app has a folder picker'),
    })
    const asked: string[] = []
    let answer: string | null = '/home/ana/session 2'
    provideFolderDialog(wb.ctx, async ({ title }) => {
      asked.push(title)
      return answer
    })
    const picked = await wb.router.call('app.chooseFolder', { title: 'Folder of photos to predict' })
    expect(picked).toEqual({ ok: true, value: { folder: '/home/ana/session 2' } })
    answer = null
    expect(await wb.router.call('app.chooseFolder', { title: 'Folder of photos to predict' })).toEqual({
      ok: true,
      value: { cancelled: true },
    })
    expect(asked).toEqual(['Folder of photos to predict', 'Folder of photos to predict'])
  })
})
