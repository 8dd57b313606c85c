import { createReadStream } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { pipeline, Transform, type Readable } from 'node:stream'

// Label files come from Windows tools too: Notepad's "Unicode" is UTF-16 LE with a byte-order mark,
// and RAF-DB and DISFA lists are met saved that way. Read as UTF-8 they become garbage with a NUL
// between letters, so every text a reader streams is decoded by its byte-order mark first.

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be'

/**
 * The encoding of a file from its first bytes: its byte-order mark (and that mark's length), else
 * UTF-16 when ASCII letters alternate with NUL bytes (UTF-16 saved without a mark), else UTF-8.
 */
export function encodingOf(head: Uint8Array): { encoding: TextEncoding; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 }
  if (head.length >= 4 && head[0] !== 0 && head[1] === 0 && head[2] !== 0 && head[3] === 0)
    return { encoding: 'utf-16le', bom: 0 }
  if (head.length >= 4 && head[0] === 0 && head[1] !== 0 && head[2] === 0 && head[3] !== 0)
    return { encoding: 'utf-16be', bom: 0 }
  return { encoding: 'utf-8', bom: 0 }
}

async function firstBytes(abs: string): Promise<Uint8Array> {
  const file = await open(abs)
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await file.close()
  }
}

/** Re-encodes UTF-16 chunks as UTF-8, a character split across two chunks included. */
function utf16ToUtf8(encoding: TextEncoding): Transform {
  const decoder = new TextDecoder(encoding)
  const push = (t: Transform, text: string) => {
    if (text) t.push(text)
  }
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      push(this, decoder.decode(chunk, { stream: true }))
      done()
    },
    flush(done) {
      push(this, decoder.decode())
      done()
    },
  })
}

/**
 * A text file as a stream of UTF-8 bytes without byte-order mark, whatever its encoding. A read
 * error (permissions, a vanished disk) reaches the consumer, which then throws instead of waiting.
 */
export async function utf8Stream(abs: string): Promise<Readable> {
  const { encoding, bom } = encodingOf(await firstBytes(abs))
  const bytes = createReadStream(abs, { start: bom })
  if (encoding === 'utf-8') return bytes
  return pipeline(bytes, utf16ToUtf8(encoding), () => {})
}

/** A whole (small) text file, decoded by its byte-order mark. */
export async function readText(abs: string): Promise<string> {
  const bytes = await readFile(abs)
  const { encoding, bom } = encodingOf(bytes)
  return new TextDecoder(encoding).decode(bytes.subarray(bom))
}
