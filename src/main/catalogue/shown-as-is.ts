// A picture no larger than a thumbnail (a FER2013 or RAF-DB crop, a face's 128 px crop) is shown
// as itself instead of through a WebP copy of it: drawing that copy was about half of a crops-only
// import's CPU time (issue 12), and the copy would be no smaller. Only formats that every browser
// shows qualify; the others (TIFF, 16-bit grey PGM...) still get a WebP thumbnail.

const startsWith = (bytes: Uint8Array, at: number, expected: readonly number[]): boolean =>
  bytes.length >= at + expected.length && expected.every((b, i) => bytes[at + i] === b)

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))

const SIGNATURES: readonly { mime: string; matches: (bytes: Uint8Array) => boolean }[] = [
  { mime: 'image/jpeg', matches: (b) => startsWith(b, 0, [0xff, 0xd8, 0xff]) },
  { mime: 'image/png', matches: (b) => startsWith(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mime: 'image/gif', matches: (b) => startsWith(b, 0, ascii('GIF8')) },
  { mime: 'image/webp', matches: (b) => startsWith(b, 0, ascii('RIFF')) && startsWith(b, 8, ascii('WEBP')) },
]

/** The MIME type of a picture a browser shows as it is, told by its first bytes; undefined for any other. */
export const browserMime = (bytes: Uint8Array): string | undefined => SIGNATURES.find((s) => s.matches(bytes))?.mime

/** Whether a picture of this size fits a thumbnail of `side` pixels unscaled. */
export const fitsThumbnail = (size: { width: number; height: number }, side: number): boolean =>
  size.width > 0 && size.height > 0 && size.width <= side && size.height <= side

/** Width and height from a PNG's header (its IHDR chunk); undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (browserMime(bytes) !== 'image/png' || bytes.length < 24 || !startsWith(bytes, 12, ascii('IHDR'))) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}
