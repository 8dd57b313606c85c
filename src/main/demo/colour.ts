// Colour arithmetic for the face model: tones are hex strings (#rrggbb) so that the truth file
// records them the way a person would read them.

type Rgb = [number, number, number]

export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`)
  const n = parseInt(m[1], 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

export function toHex([r, g, b]: Rgb): string {
  const c = (v: number): string =>
    Math.round(Math.min(255, Math.max(0, v)))
      .toString(16)
      .padStart(2, '0')
  return `#${c(r)}${c(g)}${c(b)}`
}

/** a blended towards b by k (0 = a, 1 = b). */
export function mix(a: string, b: string, k: number): string {
  const x = parseHex(a)
  const y = parseHex(b)
  return toHex([0, 1, 2].map((i) => x[i] + (y[i] - x[i]) * k) as Rgb)
}

/** Perceived brightness 0..255 (Rec. 601 weights). */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex)
  return 0.299 * r + 0.587 * g + 0.114 * b
}

/** A colour along a palette, t in 0..1 interpolating between neighbouring stops. */
export function alongPalette(stops: readonly string[], t: number): string {
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1)
  const i = Math.min(Math.floor(x), stops.length - 2)
  return mix(stops[i], stops[i + 1], x - i)
}

/** HSL (h degrees, s and l 0..1) as hex. */
export function hsl(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l)
  const f = (n: number): number => {
    const k = (n + h / 30) % 12
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)))
  }
  return toHex([f(0), f(8), f(4)])
}
