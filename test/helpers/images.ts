import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import sharp from 'sharp'

/** A small real PNG whose content differs by `seed` (so hashes differ). */
export async function writePng(file: string, seed: number, size = 16): Promise<void> {
  mkdirSync(dirname(file), { recursive: true })
  const data = Buffer.alloc(size * size * 3)
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed * 131) % 256
  writeFileSync(
    file,
    await sharp(data, { raw: { width: size, height: size, channels: 3 } })
      .png()
      .toBuffer(),
  )
}

/** A file with a PNG signature and garbage after it. */
export function writeCorruptPng(file: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('not really a png at all'),
    ]),
  )
}
