import type { ServerResponse } from 'node:http'
import { createReadStream } from 'node:fs'
import type { ErrorData } from '../../shared/errors'
import { FileRefused, openContainedFile } from '../files/contained-file'

/** A file the browser downloads: where it is, the folder it must lie in, the name it is saved as, its type. */
export interface Download { file: string; folder: string; name: string; type: string }

export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers })
  res.end(body)
}

export const sendText = (res: ServerResponse, status: number, text: string): void => send(res, status, 'text/plain; charset=utf-8', text)

export const sendJson = (res: ServerResponse, status: number, value: unknown): void => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value))

/** An error as the API answers it: `{ok: false, error}` with the HTTP status that fits. */
export const sendError = (res: ServerResponse, status: number, error: ErrorData): void => sendJson(res, status, { ok: false, error })

/** attachment; filename="plain" plus the UTF-8 form (RFC 6266), so any file name survives. */
const contentDisposition = (name: string): string =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`

const GONE = 'No export with this id: create it again from the Export view.'

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
  res.writeHead(200, { 'Content-Type': download.type, 'Content-Length': String(opened.size), 'Content-Disposition': contentDisposition(download.name), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
  // The stream reads the descriptor that was checked, not the path again.
  const stream = createReadStream('', { fd: opened.fd, autoClose: true, end: Math.max(0, opened.size - 1) })
  if (head || opened.size === 0) {
    stream.destroy()
    return void res.end()
  }
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}
