import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/workbench'
import { openBrowser, startServe, type Browser, type ServeProcess } from './harness'

const SECTIONS = ['Catalogue', 'Label', 'Video coding', 'Train', 'Runs', 'Insights', 'Export']

describe('the workbench shell in Chromium (headless mode)', () => {
  let serve: ServeProcess
  let browser: Browser

  beforeAll(async () => {
    serve = await startServe()
    browser = await openBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await serve?.stop()
  })

  it('refuses the page without the token', async () => {
    const response = await browser.page.goto(`http://127.0.0.1:${serve.port}/`)
    expect(response?.status()).toBe(401)
  })

  it('shows every section with the no-workspace empty state', async () => {
    const { page } = browser
    await page.goto(serve.url)
    const nav = page.getByRole('navigation', { name: 'Workbench sections' })
    for (const name of SECTIONS) {
      await nav.getByRole('link', { name }).click()
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name)
      await page
        .getByRole('heading', { name: 'No workspace open: create one, or create the demo workspace.' })
        .waitFor()
    }
    // The token left the address bar once the page had it.
    expect(page.url()).not.toContain('token=')
  })

  it('shows app.info from the contract: version and the training backend', async () => {
    const status = browser.page.getByRole('contentinfo', { name: 'Status' })
    await expect.poll(() => status.textContent()).toMatch(/Version \d+\.\d+\.\d+/)
    expect(await status.textContent()).toMatch(/Training backend: (gpu|webgpu|native|wasm|cpu)/)
  })

  it('creates the demo workspace from the empty state, with progress, and lists its datasets', async () => {
    const { page } = browser
    await page.getByRole('link', { name: 'Catalogue' }).click()
    await page.getByRole('textbox', { name: 'Workspace folder' }).fill(join(tempDir(), 'demo'))
    await page.getByRole('combobox', { name: 'Demo size' }).selectOption('small')
    await page.getByRole('button', { name: 'Create demo workspace' }).click()
    await page.getByRole('progressbar').first().waitFor()
    const status = page.getByRole('contentinfo', { name: 'Status' })
    await expect
      .poll(() => status.textContent(), { timeout: 60_000 })
      .toMatch(/Workspace: demo \(3 datasets, 326 images\)/)
    await page.getByRole('button', { name: 'Close workspace' }).click()
    await page.getByRole('heading', { name: 'No workspace open: create one, or create the demo workspace.' }).waitFor()
  })

  it('creates a workspace from the empty state and remembers it after a restart', async () => {
    const { page } = browser
    const folder = join(tempDir(), 'study')
    await page.getByRole('link', { name: 'Catalogue' }).click()
    await page.getByRole('textbox', { name: 'Workspace folder' }).fill(folder)
    await page.getByRole('button', { name: 'Create workspace' }).click()
    await page.getByRole('heading', { name: 'This workspace has no datasets yet.' }).waitFor()
    await expect
      .poll(() => page.getByRole('contentinfo', { name: 'Status' }).textContent())
      .toContain('Workspace: study')

    await serve.stop()
    serve = await startServe([], { AFFECT_CONFIG_DIR: serve.configDir })
    await page.goto(serve.url)
    await page.getByRole('heading', { name: 'This workspace has no datasets yet.' }).waitFor()
  })
})
