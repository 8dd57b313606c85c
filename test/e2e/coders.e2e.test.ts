import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/workbench'
import { callApi, createDemoWorkspace, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// Done-when of issue 14: two coders code an assigned sample blind, each in their own browser
// context opened with their own personal link from a lab server (`affect serve --lab`).

let serve: ServeProcess
let ana: Browser
let ben: Browser
let tokens: Record<string, string>

const progress = (page: Page) => page.getByRole('status', { name: 'Queue progress' })
const au12 = (page: Page, state: string) =>
  page.getByRole('radiogroup', { name: /^AU12 / }).getByRole('radio', { name: state })

async function openLink(browser: Browser, token: string): Promise<Page> {
  const { page } = browser
  await page.goto(`http://127.0.0.1:${serve.port}/?token=${token}`)
  await expect.poll(() => progress(page).textContent(), { timeout: 20_000 }).toContain('0 of 2 committed')
  return page
}

beforeAll(async () => {
  const workspace = createDemoWorkspace(join(tempDir(), 'demo'))
  serve = await startServe(['--lab', '--workspace', workspace, '--admin', 'Lab Admin'])
  tokens = {}
  for (const name of ['Ana', 'Ben']) tokens[name] = (await callApi(serve, 'coders.create', { name })).token
  await callApi(serve, 'assignments.create', { dataset: 'demo-au', coders: ['Ana', 'Ben'], images: 2, seed: 5 })
  ana = await openBrowser()
  ben = await openBrowser()
}, 180_000)
afterAll(async () => {
  await ana?.close()
  await ben?.close()
  await serve?.stop()
})

describe('blind double coding in two browsers (lab mode)', () => {
  it('each coder codes blind under their own name, and sees the other only after committing', async () => {
    const anaPage = await openLink(ana, tokens.Ana)
    const benPage = await openLink(ben, tokens.Ben)
    // A coder's link shows their queue only.
    await expect.poll(() => anaPage.getByRole('link', { name: 'Catalogue' }).count()).toBe(0)

    await au12(anaPage, 'present').click()
    await expect.poll(() => au12(anaPage, 'present').getAttribute('aria-checked')).toBe('true')

    await expect.poll(() => benPage.getByText('Blind: the other coders').count()).toBe(1)
    expect(await benPage.getByRole('region', { name: 'Other codes' }).count()).toBe(0)
    await au12(benPage, 'absent').click()
    await expect.poll(() => au12(benPage, 'absent').getAttribute('aria-checked')).toBe('true')
    await benPage.getByRole('button', { name: 'Commit my codes' }).click()
    await expect.poll(() => progress(benPage).textContent()).toContain('1 of 2 committed')
    const others = benPage.getByRole('region', { name: 'Other codes' })
    await expect.poll(() => others.getByRole('row', { name: /Ana/ }).textContent()).toContain('AU12 present')

    await anaPage.getByRole('button', { name: 'Commit my codes' }).click()
    await expect
      .poll(() => anaPage.getByRole('region', { name: 'Other codes' }).getByRole('row', { name: /Ben/ }).textContent())
      .toContain('AU12 absent')

    // The admin sees both codings, recorded under the names the server authenticated.
    const queue = await callApi(serve, 'adjudication.queue', { coders: ['Ana', 'Ben'] })
    expect(queue.total).toBe(1)
    expect(queue.items[0].codings.Ana).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'AU12', value: 1 })]),
    )
    expect(queue.items[0].codings.Ben).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'AU12', value: 0 })]),
    )
  })
})
