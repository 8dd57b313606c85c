import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/workbench'
import { callApi, createDemoWorkspace, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// The researcher's side in Chromium against `affect serve` on the small demo workspace (326 faces):
// start a tiny run from the form, watch it learn, stop and resume it, look at its insights, compare
// it, export CSVs. Controls are found by role and accessible name, as a screen reader would.

const FACES = 326

/** Pixels of the first curve's colour (#2f5fd0) on a chart canvas: a drawn line has hundreds, the legend box alone ~150. */
function curvePixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((node) => {
    // Typed by hand: the test's TypeScript has no DOM library.
    const c = node as unknown as {
      width: number
      height: number
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } }
    }
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height)
    let n = 0
    for (let i = 0; i < data.length; i += 4)
      if (
        Math.abs(data[i] - 47) < 40 &&
        Math.abs(data[i + 1] - 95) < 40 &&
        Math.abs(data[i + 2] - 208) < 40 &&
        data[i + 3] > 128
      )
        n++
    return n
  })
}

const runStatus = (page: Page) => page.getByRole('status', { name: 'Run status' })
const stepNow = async (page: Page) =>
  Number(await page.getByRole('progressbar', { name: 'Training progress' }).getAttribute('value'))

describe('train, watch, compare, inspect and export in Chromium (headless mode)', () => {
  let serve: ServeProcess
  let browser: Browser
  let page: Page
  let runUrl = ''

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

  it('starts a small run from the form, which says which backend it will use and why', async () => {
    await page.getByRole('navigation', { name: 'Workbench sections' }).getByRole('link', { name: 'Train' }).click()
    // Every setting shows the paper's default first.
    expect(await page.getByRole('spinbutton', { name: 'Batch size' }).inputValue()).toBe('128')
    expect(await page.getByRole('spinbutton', { name: 'Learning rate', exact: true }).inputValue()).toBe('0.05')
    // No number of CPU threads: every core.
    expect(await page.getByRole('spinbutton', { name: 'CPU threads' }).inputValue()).toBe('')
    await page.getByRole('checkbox', { name: 'demo-emotion' }).waitFor()
    await page.getByRole('combobox', { name: 'Network' }).selectOption('resnet-8')
    await page.getByRole('spinbutton', { name: 'Input size (pixels)' }).fill('16')
    await page.getByRole('spinbutton', { name: 'Batch size' }).fill('16')
    await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill('400')
    await page.getByRole('spinbutton', { name: 'Validate every (steps)' }).fill('20')
    await page.getByRole('spinbutton', { name: 'Checkpoint every (steps)' }).fill('20')
    const backend = page.getByRole('combobox', { name: 'Backend' })
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'auto will use' }).textContent())
      .toMatch(/auto will use \S+/)
    await backend.selectOption('wasm')
    expect(await page.getByRole('status').filter({ hasText: 'WebAssembly' }).textContent()).toMatch(
      /The run will use WebAssembly/,
    )
    await page.getByRole('button', { name: 'Start training' }).click()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 })
      .toMatch(/^Run \d+: sjmt resnet-8$/)
    runUrl = page.url()
  })

  it('shows progress and draws the loss curve as it arrives', async () => {
    await expect.poll(() => stepNow(page), { timeout: 60_000 }).toBeGreaterThan(0)
    expect(
      await page
        .getByText(/^\d+ of 400$/)
        .first()
        .textContent(),
    ).toMatch(/of 400/)
    await expect
      .poll(() => curvePixels(page.getByRole('img', { name: 'Loss chart' })), { timeout: 60_000 })
      .toBeGreaterThan(300)
    await expect
      .poll(() => page.getByRole('log', { name: 'Trainer messages' }).textContent())
      .toMatch(/Training on the wasm backend/)
    // The first validation (step 20): stop soon after it, long before the run's end.
    await expect.poll(() => page.getByText(/Latest: Validation emotion accuracy/).count(), { timeout: 60_000 }).toBe(1)
  })

  it('stops the run, and resumes it from its checkpoint', async () => {
    await page.getByRole('button', { name: 'Stop training' }).click()
    await expect.poll(() => runStatus(page).textContent(), { timeout: 60_000 }).toBe('Stopped')
    const stoppedAt = await stepNow(page)
    expect(stoppedAt).toBeGreaterThan(0)
    expect(stoppedAt).toBeLessThan(400)
    await expect
      .poll(() => page.getByRole('log', { name: 'Trainer messages' }).textContent())
      .toContain(`Stopped at step ${stoppedAt}`)

    await page.getByRole('button', { name: 'Resume training' }).click()
    await expect.poll(() => runStatus(page).textContent(), { timeout: 30_000 }).toMatch(/Starting|Training/)
    await expect.poll(() => stepNow(page), { timeout: 60_000 }).toBeGreaterThan(stoppedAt)
  })

  it('draws the validation curves as they arrive', async () => {
    await expect
      .poll(() => curvePixels(page.getByRole('img', { name: 'Validation metrics chart' })), { timeout: 60_000 })
      .toBeGreaterThan(300)
  })

  it('shows the run where it is after leaving the view and after reopening the page', async () => {
    await page.getByRole('navigation', { name: 'Workbench sections' }).getByRole('link', { name: 'Runs' }).click()
    await page.getByRole('link', { name: /^\d+: sjmt resnet-8$/ }).click()
    await expect.poll(() => stepNow(page)).toBeGreaterThan(0)
    await page.reload()
    await expect.poll(() => stepNow(page)).toBeGreaterThan(0)
    expect(page.url()).toBe(runUrl)
    await expect.poll(() => runStatus(page).textContent(), { timeout: 90_000 }).toBe('Finished')
    expect(await stepNow(page)).toBe(400)
    await expect
      .poll(() => curvePixels(page.getByRole('img', { name: 'Loss chart' })), { timeout: 60_000 })
      .toBeGreaterThan(300)
  })

  it('shows why a run failed, in words', async () => {
    // A backend that does not load on this machine makes the trainer fail at once, with a reason.
    const missing = (await callApi(serve, 'app.info', {})).backends.find((b) => !b.available)
    if (!missing) return
    const failed = await callApi(serve, 'runs.start', {
      config: { network: 'resnet-8', inputSize: 16, batchSize: 16, steps: 10, backend: missing.backend },
      name: 'no such backend',
    })
    await page.goto(`${runUrl.split('#')[0]}#/runs/${failed.id}`)
    await expect.poll(() => runStatus(page).textContent(), { timeout: 60_000 }).toBe('Failed')
    // What a reader gets: the text with the template's line breaks as spaces, trimmed.
    expect((await page.getByRole('alert').innerText()).trim()).toMatch(
      new RegExp(
        `^This run failed: the ${missing.backend} backend cannot be used: .+ Resume continues from its last checkpoint\\.$`,
      ),
    )
    await page.goto(runUrl)
  })

  it('opens the insights: Fig. 2 against the truth, the confusion matrix, and the faces behind a cell', async () => {
    await page.getByRole('link', { name: 'Open insights' }).click()
    await page.getByRole('heading', { name: "Action Units by predicted emotion (the paper's Fig. 2)" }).waitFor()
    await page.getByRole('table', { name: "Share truly drawn (demo data's hidden truth)" }).waitFor()
    expect(await page.getByRole('rowheader', { name: /^AU12/ }).count()).toBe(1) // per-class table
    // What the scores stand on: every test face of the demo has a prediction from the run.
    await page.getByText('Scored all 78 test images.', { exact: true }).waitFor()

    await page
      .getByRole('button', { name: /^Predicted \w+, AU12: mean probability \d/ })
      .first()
      .click()
    await page.getByRole('heading', { name: /^Emotion-only faces predicted \w+, by AU12: \d+ images?$/ }).waitFor()
    const bars = page.getByRole('meter', { name: 'Predicted AU12' })
    expect(await bars.count()).toBeGreaterThan(0)
    const face = page.getByRole('table', { name: /^Action Units of image \d+$/ }).first()
    // Emotion-only faces: no AU is labelled, and the generator's truth sits beside the bars.
    expect(await face.getByRole('cell', { name: 'unknown' }).count()).toBe(11)
    expect(await face.getByRole('columnheader', { name: 'Truth' }).count()).toBe(1)

    await page
      .getByRole('button', { name: /^True \w+, predicted \w+: [1-9]\d* images?$/ })
      .first()
      .click()
    await page.getByRole('heading', { name: /^True \w+, predicted \w+: [1-9]\d* images?$/ }).waitFor()
  })

  it("compares runs in the layout of the paper's tables", async () => {
    await page.getByRole('navigation', { name: 'Workbench sections' }).getByRole('link', { name: 'Runs' }).click()
    await page.getByRole('checkbox', { name: `Compare run ${runUrl.split('/').pop()}` }).check()
    await page.getByRole('button', { name: 'Compare selected runs (1)' }).click()
    const table = page.getByRole('table', { name: 'Runs compared, paper layout' })
    await table.getByRole('columnheader', { name: 'demo-emotion emotion' }).waitFor()
    expect(await table.getByRole('rowheader', { name: 'SJMT' }).count()).toBe(1)
    await table.getByText('Scored all 78 test images.', { exact: true }).waitFor()
    await expect
      .poll(() => curvePixels(page.getByRole('img', { name: /runs overlaid chart$/ })), { timeout: 60_000 })
      .toBeGreaterThan(300)
  })

  it('exports the predictions and the labels as CSV downloads', async () => {
    await page.getByRole('navigation', { name: 'Workbench sections' }).getByRole('link', { name: 'Export' }).click()
    const [predictions] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export predictions' }).click(),
    ])
    expect(predictions.suggestedFilename()).toMatch(/^run-\d+-sjmt-resnet-8-predictions\.csv$/)
    const rows = parse(readFileSync((await predictions.path())!), { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(FACES)
    // Which image and which face of its photo, then what the run predicted.
    expect(Object.keys(rows[0]).slice(0, 13)).toEqual([
      'image_id',
      'path',
      'dataset',
      'split',
      ...['source_path', 'face_index', 'face_x', 'face_y', 'face_width', 'face_height', 'face_score'],
      'predicted_emotion',
      'predicted_emotion_p',
    ])
    expect(Object.keys(rows[0])).toContain('AU12_p')
    await page
      .getByRole('status')
      .filter({ hasText: `Wrote ${FACES} rows` })
      .waitFor()
    expect(await page.getByRole('progressbar', { name: 'Export written' }).getAttribute('value')).toBe(String(FACES))

    const [labels] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export labels' }).click(),
    ])
    const labelRows = parse(readFileSync((await labels.path())!), { columns: true }) as Record<string, string>[]
    expect(labelRows).toHaveLength(FACES)
    const emotionOnly = labelRows.find((r) => r.dataset === 'demo-emotion')!
    expect(emotionOnly.AU12).toBe('') // unknown stays empty
    expect(['0', '1']).toContain(emotionOnly.happy)
  })
})
