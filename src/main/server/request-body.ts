import type { IncomingMessage } from 'node:http'

// Request bodies are read into memory (they are JSON for one call), so they have a limit, checked
// before anything is held: a declared Content-Length over it is refused before one byte is read,
// and a chunked body as soon as it passes it. After the 413 the rest of the body is read and
// dropped for a short while, so that the client (which may still be sending) sees the answer
// instead of a reset connection; then the connection is closed.

/** Largest API request body accepted by default. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024
/** How long the rest of a refused body is read and dropped before the connection is closed. */
const LINGER_MS = 10_000

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(
      `The request body is larger than ${Math.round(limit / 1024 / 1024)} MB, the most one call accepts: send the work in smaller calls.`,
    )
    this.name = 'BodyTooLarge'
  }
}

/** True when the request declares a body over the limit. */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const length = Number(req.headers['content-length'] ?? 0)
  return Number.isFinite(length) && length > limit
}

/** Reads the whole body up to `limit` bytes; rejects with BodyTooLarge (holding nothing) once it is over. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    if (declaredTooLarge(req, limit)) return reject(new BodyTooLarge(limit))
    let size = 0
    let chunks: Buffer[] = []
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      chunks = []
      req.off('data', onData)
      reject(new BodyTooLarge(limit))
    }
    req.on('data', onData)
    req.on('end', () => resolveBody(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** After answering a refused body: drop what the client still sends, for a while, then close. */
export function discardRest(req: IncomingMessage): void {
  if (req.complete) return
  const timer = setTimeout(() => req.socket.destroy(), LINGER_MS)
  timer.unref()
  req.on('data', () => {})
  req.once('end', () => clearTimeout(timer))
  req.once('close', () => clearTimeout(timer))
  req.resume()
}
