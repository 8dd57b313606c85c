import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { extname } from 'node:path'

// Which files are videos (by name: a folder of videos may hold anything else too) and a video's
// content hash, read as a stream so a 2 GB video never sits in memory.

export const VIDEO_EXTENSIONS = ['.mp4', '.avi', '.mov', '.mkv', '.webm']

export const isVideoName = (name: string): boolean =>
  !name.startsWith('.') && VIDEO_EXTENSIONS.includes(extname(name).toLowerCase())

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
