import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/workbench'
import { createDemoWorkspace, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// The Experiments view in Chromium against `affect serve` on the small demo: a protocol started
// from the form (SJMT on two seeds, tiny runs), its runs watched to the end, its results read as a
// table with intervals and a chart with error bars, and exported as CSV.

const section = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Workbench sections' }).getByRole('link', { name }).click()

describe('the Experiments view in Chromium (headless mode)', () => {
  let serve: ServeProcess
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const workspace = createDemoWorkspace(join(tempDir(), 'demo'))
    serve = await startServe(['--workspace', workspace])
    browser = await openBrowser()
    page = browser.page
    await page.goto(serve.url)
  })
  afterAll(async () => {
    await browser?.close()
    await serve?.stop()
  })

  it('says what is wrong with a protocol before starting it', async () => {
    await section(page, 'Experiments')
    await page.getByRole('heading', { name: 'Experiments', level: 1 }).waitFor()
    for (const name of ['Single networks (Fig. 1a)', 'Classical multi-task (Fig. 1b)', 'SJMT (Fig. 1c)'])
      await page.getByRole('checkbox', { name }).uncheck()
    expect(await page.getByRole('alert').textContent()).toMatch('Choose at least one method.')
    expect(await page.getByRole('button', { name: 'Start experiment' }).isDisabled()).toBe(true)
  })

  it('starts a protocol from the form and follows its runs to the end', async () => {
    await page.getByRole('checkbox', { name: 'SJMT (Fig. 1c)' }).check()
    await page.getByRole('spinbutton', { name: 'Seeds' }).fill('2')
    await page.getByRole('textbox', { name: 'Budgets in steps (comma-separated)' }).fill('6')
    await page.getByRole('textbox', { name: 'Learning rates to try on validation' }).fill('0.4')
    await page.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
    await page.getByRole('spinbutton', { name: 'Input size (pixels)' }).fill('16')
    await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm')
    await page.getByRole('button', { name: 'Start experiment' }).click()
    const experiments = page.getByRole('table', { name: 'Experiments' })
    await experiments
      .getByRole('cell', { name: '0 / 2' })
      .or(experiments.getByRole('cell', { name: '1 / 2' }))
      .first()
      .waitFor()
    await page.getByRole('button', { name: 'Stop experiment 1' }).waitFor()
    await experiments.getByRole('cell', { name: '2 / 2' }).waitFor({ timeout: 600_000 })
    await page.getByRole('status').filter({ hasText: 'finished: 2 of 2 runs done' }).waitFor()
    const runs = page.getByRole('table', { name: 'Runs of the experiment' })
    expect(await runs.getByRole('link', { name: /^Run \d+$/ }).count()).toBe(2)
  }, 660_000)

  it('shows the results as a table with intervals and a chart with error bars', async () => {
    const table = page.getByRole('table', { name: 'Results at 6 steps per network' })
    const row = table.getByRole('row', { name: /SJMT/ })
    expect(await row.textContent()).toMatch(/\d+\.\d% \[-?\d+\.\d%, \d+\.\d%\]/)
    const chart = page.getByRole('figure').filter({ hasText: 'emotion accuracy by method' })
    expect(await chart.locator('canvas').getAttribute('aria-label')).toBe('emotion accuracy by method chart')
    expect(await chart.textContent()).toMatch(/SJMT: \d+\.\d% \[-?\d+\.\d%, \d+\.\d%\]/)
    await page.getByRole('combobox', { name: 'Metric' }).selectOption({ label: 'AU F1' })
    await page.getByRole('figure').filter({ hasText: 'AU F1 by method' }).waitFor()
  })

  it('exports the results as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export results as CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('experiment-1-results.csv')
    const rows = parse(readFileSync((await download.path())!), { columns: true }) as Record<string, string>[]
    const accuracy = rows.find((r) => r.kind === 'result' && r.method === 'sjmt' && r.metric === 'emotionAccuracy')!
    expect(accuracy).toMatchObject({ experiment_id: '1', budget: '6', seeds: '2', learning_rates: 'sjmt=0.4' })
    expect(accuracy.per_seed.split(';')).toHaveLength(2)
    expect(Number(accuracy.ci95_low)).toBeLessThanOrEqual(Number(accuracy.mean))
  })
})
