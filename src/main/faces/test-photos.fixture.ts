import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { faceApiDemoPhoto } from './models'

// Real photographs for the face finder's tests (test/fixtures/photos/README.md says where they come
// from) and the bad or unusual files the tests derive from them.

const root = join(import.meta.dirname, '..', '..', '..')

/** A public-domain photo kept in test/fixtures/photos. */
export const fixturePhoto = (name: 'astronaut.png' | 'grace_hopper_512x512.jpg' | 'rocket.jpg'): string =>
  join(root, 'test', 'fixtures', 'photos', name)

/** One of face-api's demo group photos (1920 px wide), shipped inside the npm package. */
export const demoPhoto = faceApiDemoPhoto

/** Sets the size in a JPEG's SOF header (no decode needed to read it back), leaving the data as is. */
function withHeaderSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg)
  for (let i = 2; i < out.length - 9;) {
    if (out[i] !== 0xff) throw new Error('not a JPEG segment')
    const marker = out[i + 1]
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height, i + 5)
      out.writeUInt16BE(width, i + 7)
      return out
    }
    i += 2 + out.readUInt16BE(i + 2)
  }
  throw new Error('no SOF segment found')
}

export interface OddPhotos {
  empty: string
  truncated: string
  corrupt: string
  notAnImage: string
  missing: string
  tooLarge: string
  /** Grace Hopper stored turned 90 degrees anticlockwise with EXIF orientation 6 (show turned clockwise). */
  exifRotated: string
  grey: string
  cmyk: string
  png16: string
  transparent: string
}

/** Writes the odd files into `dir` (from the Grace Hopper photo) and returns their paths. */
export async function writeOddPhotos(dir: string): Promise<OddPhotos> {
  await mkdir(dir, { recursive: true })
  const source = fixturePhoto('grace_hopper_512x512.jpg')
  const jpeg = await readFile(source)
  const at = (name: string) => join(dir, name)
  const files: OddPhotos = {
    empty: at('empty.jpg'),
    truncated: at('truncated.jpg'),
    corrupt: at('corrupt.jpg'),
    notAnImage: at('notes.jpg'),
    missing: at('not-there.jpg'),
    tooLarge: at('huge.jpg'),
    exifRotated: at('hopper-exif6.jpg'),
    grey: at('hopper-grey.jpg'),
    cmyk: at('hopper-cmyk.jpg'),
    png16: at('hopper-16bit.png'),
    transparent: at('hopper-alpha.png'),
  }
  await writeFile(files.empty, Buffer.alloc(0))
  await writeFile(files.truncated, jpeg.subarray(0, Math.floor(jpeg.length / 2)))
  // A JPEG start-of-image marker and then noise.
  await writeFile(
    files.corrupt,
    Buffer.concat([jpeg.subarray(0, 20), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 97 + 13) % 251))]),
  )
  await writeFile(files.notAnImage, 'participant 12, session 2: remember to re-take the photo\n')
  // 12000 x 9000 = 108 megapixels claimed by the header.
  await writeFile(files.tooLarge, withHeaderSize(jpeg, 12000, 9000))
  await sharp(jpeg).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(files.exifRotated)
  await sharp(jpeg).toColourspace('b-w').jpeg({ quality: 95 }).toFile(files.grey)
  await sharp(jpeg).toColourspace('cmyk').jpeg({ quality: 95 }).toFile(files.cmyk)
  await sharp(jpeg).toColourspace('rgb16').png().toFile(files.png16)
  await sharp(jpeg).ensureAlpha(0.6).png().toFile(files.transparent)
  return files
}
