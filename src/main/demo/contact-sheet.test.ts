import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { expect, it } from 'vitest'
import { renderContactSheet } from './contact-sheet'
import { DRAWN_AUS } from './face-params'

it('renders a contact sheet with a row per AU (and per emotion and compound beside them)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'demo-sheet-'))
  try {
    const file = join(dir, 'sheet.png')
    await renderContactSheet(file, { seed: 3, cell: 32 })
    const meta = await sharp(file).metadata()
    expect(meta.format).toBe('png')
    // Two panels side by side; the taller holds one row per drawn AU (7 emotions + 11 compounds = 18 too).
    expect(meta.height).toBeGreaterThanOrEqual(DRAWN_AUS.length * 32)
    expect(meta.width).toBeGreaterThan(meta.height! / 2)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
