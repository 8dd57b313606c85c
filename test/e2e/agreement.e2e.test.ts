import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import type { CallResult } from '../../src/shared/errors'
import { mulberry32 } from '../../src/shared/random'
import { tempDir } from '../helpers/workbench'
import { callApi, createDemoWorkspace, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// Issue 14 in the browser, on a lab server: the Agreement view shows the kappa that `affect
// agreement --json` gives for the same workspace, and in the Adjudication view the admin picks a
// coding with a reason: the consensus changes and the image's history shows the decision.

const root = join(import.meta.dirname, '..', '..')
let serve: ServeProcess
let admin: Browser
let workspace: string
const tokens: Record<string, string> = {}

/** A call as one coder, with their own link's token. */
async function asCoder<M extends MethodName>(coder: string, method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
  const response = await fetch(`http://127.0.0.1:${serve.port}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[coder]}` },
    body: JSON.stringify(args),
  })
  const result = (await response.json()) as CallResult<MethodResult<M>>
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value
}

/** The text of one cell of a table, found by its row header and column header. */
async function cell(page: Page, table: string, row: string, column: string): Promise<string> {
  const grid = page.getByRole('table', { name: table })
  const headers = await grid.getByRole('columnheader').allTextContents()
  const at = headers.findIndex((h) => h.trim() === column)
  const line = grid.getByRole('row', { name: new RegExp(`^${row}\\b`) })
  return (
    (await line
      .getByRole('cell')
      .nth(at - 1)
      .textContent()) ?? ''
  ).trim()
}

beforeAll(async () => {
  workspace = createDemoWorkspace(join(tempDir(), 'demo'))
  serve = await startServe(['--lab', '--workspace', workspace, '--admin', 'Lab Admin'])
  for (const name of ['Ana', 'Ben']) tokens[name] = (await callApi(serve, 'coders.create', { name })).token
  const datasets = await callApi(serve, 'datasets.list', {})
  const demoAu = datasets.find((d) => d.name === 'demo-au')!.id
  const page = await callApi(serve, 'images.page', { datasetIds: [demoAu], limit: 30 })
  const random = mulberry32(3)
  for (const image of page.items) {
    const ana: 0 | 1 = random() < 0.4 ? 1 : 0
    const ben: 0 | 1 = random() < 0.8 ? ana : ana ? 0 : 1
    for (const [coder, value] of [['Ana', ana] as const, ['Ben', ben] as const])
      await asCoder(coder, 'codings.save', { imageId: image.id, changes: [{ code: 'AU12', value }], reason: '' })
  }
  admin = await openBrowser()
  await admin.page.goto(serve.url)
}, 240_000)
afterAll(async () => {
  await admin?.close()
  await serve?.stop()
})

describe('the Agreement and Adjudication views (lab mode, admin link)', () => {
  it("show in the Agreement table the Cohen's kappa of affect agreement --json", async () => {
    const json = execFileSync(
      process.execPath,
      [
        join(root, 'bin', 'affect.mjs'),
        'agreement',
        '--workspace',
        workspace,
        '--dataset',
        'demo-au',
        '--coders',
        'Ana,Ben',
        '--json',
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, AFFECT_CONFIG_DIR: serve.configDir } },
    )
    const kappa = (JSON.parse(json) as { classes: Record<string, { cohenKappa: number; n: number }> }).classes.AU12
    expect(kappa.n).toBe(30)
    const { page } = admin
    await page.getByRole('link', { name: 'Agreement' }).click()
    await page.getByRole('combobox', { name: 'Dataset' }).selectOption('demo-au')
    await page.getByRole('textbox', { name: 'Coders (comma separated)' }).fill('Ana, Ben')
    await page.getByRole('button', { name: 'Compute agreement' }).click()
    await expect
      .poll(() => page.getByRole('table', { name: 'Agreement per class' }).count(), { timeout: 15_000 })
      .toBe(1)
    expect(await cell(page, 'Agreement per class', 'AU12', "Cohen's kappa")).toBe(kappa.cohenKappa.toFixed(3))
    expect(await cell(page, 'Agreement per class', 'AU12', 'n')).toBe('30')
  })

  it('set the consensus from a coding with a reason, and the image history shows the decision', async () => {
    const { page } = admin
    await page.getByRole('link', { name: 'Adjudication' }).click()
    const sideBySide = page.getByRole('table', { name: 'Codings side by side' })
    await expect.poll(() => sideBySide.count(), { timeout: 15_000 }).toBe(1)
    const imageId = Number((await page.getByRole('img', { name: /^Image \d+$/ }).getAttribute('alt'))!.split(' ')[1])
    const disputed = ((await sideBySide.getByRole('rowheader').first().textContent()) ?? '').trim()
    const before = await callApi(serve, 'images.get', { id: imageId })
    const was = before.labels[disputed]
    const picked = was === 1 ? 'absent' : 'present'
    await page.getByRole('combobox', { name: `Consensus for ${disputed}` }).selectOption({ label: picked })
    await page.getByRole('textbox', { name: 'Reason for the decision' }).fill('Ana saw the lip corners rise')
    await page.getByRole('button', { name: 'Set consensus' }).click()
    await expect
      .poll(() => page.getByRole('status', { name: 'Last decision' }).textContent(), { timeout: 15_000 })
      .toMatch(/Consensus set \([1-9]\d* labels changed\)/)
    const after = await callApi(serve, 'images.get', { id: imageId })
    expect(after.labels[disputed]).toBe(picked === 'present' ? 1 : 0)

    await page.goto(`${serve.url}#/label?image=${imageId}`)
    const history = page.getByRole('region', { name: 'History of this image' })
    await expect.poll(() => history.textContent(), { timeout: 15_000 }).toContain('Ana saw the lip corners rise')
    expect(await history.textContent()).toContain('Lab Admin')
  })
})
