import { createReadStream } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { FileRefused, openContainedFile } from '../files/contained-file'
import { sendText } from './responses'

/** A file the browser downloads: where it is, the folder it must lie in, the name it is saved as, its type. */
export interface Download {
  file: string
  folder: string
  name: string
  type: string
}

/** attachment; filename="plain" plus the UTF-8 form (RFC 6266), so any file name survives. */
const contentDisposition = (name: string): string =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`

const GONE = 'No export with this id: create it again from the Export view.'

/** The export to send for an id, or null: an id the workspace does not know (or cannot look up) is simply gone. */
export function findDownload(
  download: ((id: string, part: 'csv' | 'sidecar') => Download | null) | undefined,
  id: string,
  part: 'csv' | 'sidecar',
): Download | null {
  try {
    return download?.(id, part) ?? null
  } catch {
    return null
  }
}

/** Streams a download (exports can be large) with the headers that make the browser save it; a file that is not a regular file of its folder is not sent. */
export function sendDownload(res: ServerResponse, download: Download | null, head: boolean): void {
  if (!download) return sendText(res, 404, GONE)
  let opened: ReturnType<typeof openContainedFile>
  try {
    opened = openContainedFile(download.file, download.folder)
  } catch (e) {
    if (e instanceof FileRefused) return sendText(res, 404, GONE)
    throw e
  }
  res.writeHead(200, {
    'Content-Type': download.type,
    'Content-Length': String(opened.size),
    'Content-Disposition': contentDisposition(download.name),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  // The stream reads the descriptor that was checked, not the path again.
  const stream = createReadStream('', { fd: opened.fd, autoClose: true, end: Math.max(0, opened.size - 1) })
  if (head || opened.size === 0) {
    stream.destroy()
    return void res.end()
  }
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}
