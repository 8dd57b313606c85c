import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FaceDetail } from '../../src/shared/contract'
import { fixturePhoto } from '../../src/main/faces/test-photos.fixture'
import { tempDir } from '../helpers/workbench'
import { callApi, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// The coder moves and resizes a face box on its source photo in Chromium (headless mode): with the
// mouse and with the keyboard. The photo is taller than wide, stored turned on its side with an
// EXIF orientation, and shown scaled down: the box must still be saved in the upright photo's pixels.

const PHOTO = 'hopper-tall.jpg'
const UPRIGHT = { width: 512, height: 700 }
let serve: ServeProcess
let browser: Browser

/** Grace Hopper with a white band below (512 x 700 upright), stored 700 x 512 with EXIF orientation 6. */
async function writeTallRotatedPhoto(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const tall = await sharp(fixturePhoto('grace_hopper_512x512.jpg'))
    .extend({ bottom: UPRIGHT.height - 512, background: '#ffffff' })
    .jpeg()
    .toBuffer()
  await sharp(tall).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(join(dir, PHOTO))
}

const faceOf = async (): Promise<FaceDetail> => (await callApi(serve, 'images.get', { id: 1 })).face

/** Where a point of the upright photo is on the screen: the SVG fits the photo in its box, centred. */
async function screenMapping(page: Page): Promise<(x: number, y: number) => { x: number; y: number }> {
  const photo = page.getByRole('group', { name: `Source photo ${PHOTO} with the face box` })
  await photo.scrollIntoViewIfNeeded()
  const svg = (await photo.boundingBox())!
  const scale = Math.min(svg.width / UPRIGHT.width, svg.height / UPRIGHT.height)
  const left = svg.x + (svg.width - UPRIGHT.width * scale) / 2
  const top = svg.y + (svg.height - UPRIGHT.height * scale) / 2
  return (x, y) => ({ x: left + x * scale, y: top + y * scale })
}

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 })
  await page.mouse.move(to.x, to.y, { steps: 4 })
  await page.mouse.up()
}

const saved = (page: Page) => page.getByRole('status').filter({ hasText: 'Box saved' })

beforeAll(async () => {
  const root = tempDir('affect-face-box-')
  await writeTallRotatedPhoto(join(root, 'photos'))
  serve = await startServe(['--workspace', join(root, 'ws')])
  await callApi(serve, 'app.setAnnotator', { annotator: 'Ana Coder' })
  const report = await callApi(serve, 'import.run', {
    format: 'folder',
    path: join(root, 'photos'),
    name: 'study',
    faces: 'detect',
  })
  expect(report.imported).toBe(1)
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

describe('moving a face box by hand (Chromium, headless mode)', () => {
  it('drags the box and its corner on the scaled, EXIF-turned photo and saves the upright pixels', async () => {
    const { page } = browser
    const before = await faceOf()
    expect([before.photoWidth, before.photoHeight]).toEqual([UPRIGHT.width, UPRIGHT.height])
    const start = before.box!
    await page.goto(`${serve.url}#/label?image=1`)
    const box = page.getByRole('button', { name: `Face box 1 of photo ${PHOTO}` })
    await box.waitFor()
    const crop = page.getByRole('img', { name: `Image ${PHOTO}#face0 of study` })
    const cropBefore = await crop.getAttribute('src')
    const toScreen = await screenMapping(page)

    // Grab the middle of the box and move it 40 photo pixels right and 30 down.
    const middle = { x: start.x + start.width / 2, y: start.y + start.height / 2 }
    await drag(page, toScreen(middle.x, middle.y), toScreen(middle.x + 40, middle.y + 30))
    await saved(page).waitFor()
    const moved = (await faceOf()).box!
    expect(moved.x).toBeCloseTo(Math.round(start.x) + 40, -0.5)
    expect(moved.y).toBeCloseTo(Math.round(start.y) + 30, -0.5)
    expect([moved.width, moved.height]).toEqual([Math.round(start.width), Math.round(start.height)])

    // The bottom-right corner, 30 photo pixels wider and 20 taller; the top-left corner stays.
    const corner = { x: moved.x + moved.width, y: moved.y + moved.height }
    await drag(page, toScreen(corner.x, corner.y), toScreen(corner.x + 30, corner.y + 20))
    await expect.poll(async () => (await faceOf()).box!.width).not.toBe(moved.width)
    const resized = (await faceOf()).box!
    expect([resized.x, resized.y]).toEqual([moved.x, moved.y])
    expect(resized.width).toBeCloseTo(moved.width + 30, -0.5)
    expect(resized.height).toBeCloseTo(moved.height + 20, -0.5)

    // The crop was cut again and the Label view shows the new one; the history lists both moves.
    const after = await faceOf()
    expect(after.origin).toBe('edited')
    await expect.poll(() => crop.getAttribute('src')).not.toBe(cropBefore)
    await expect.poll(() => crop.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(128)
    const history = page.getByRole('list', { name: 'Face history' }).getByRole('listitem')
    await expect.poll(() => history.count()).toBe(2)
    expect(await history.first().textContent()).toContain(
      `→ (${resized.x}, ${resized.y}) ${resized.width} x ${resized.height}`,
    )
  })

  it('moves and resizes the focused box with the keyboard and saves it with Enter', async () => {
    const { page } = browser
    const stored = (await faceOf()).box!
    const start = {
      x: Math.round(stored.x),
      y: Math.round(stored.y),
      width: Math.round(stored.width),
      height: Math.round(stored.height),
    }
    await page.goto(`${serve.url}#/label?image=1`)
    const box = page.getByRole('button', { name: `Face box 1 of photo ${PHOTO}` })
    await box.focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Control+ArrowDown')
    await page.keyboard.press('Shift+ArrowLeft')
    await page.keyboard.press('Control+Shift+ArrowDown')
    // Nothing is saved before Enter; the typed numbers follow the box.
    expect(await page.getByRole('spinbutton', { name: 'Face box left' }).inputValue()).toBe(String(start.x + 3))
    expect((await faceOf()).box).toEqual(stored)
    await page.keyboard.press('Enter')
    await saved(page).waitFor()
    expect((await faceOf()).box).toEqual({
      x: start.x + 3,
      y: start.y + 10,
      width: start.width - 1,
      height: start.height + 10,
    })
    // The arrows moved the box, not the Label view to another image.
    expect(page.url()).toContain('image=1')
  })
})
