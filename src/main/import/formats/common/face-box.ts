import type { FaceBox } from '../../../../shared/faces'

/** A face box from four cells; undefined when all are blank, 'bad' when they are not a box. */
export function faceBoxOf(x: string, y: string, width: string, height: string): FaceBox | undefined | 'bad' {
  const cells = [x, y, width, height].map((c) => (c ?? '').trim())
  if (cells.every((c) => c === '')) return undefined
  const [bx, by, bw, bh] = cells.map((c) => (c === '' ? NaN : Number(c)))
  if (![bx, by, bw, bh].every(Number.isFinite) || bw <= 0 || bh <= 0) return 'bad'
  return { x: bx, y: by, width: bw, height: bh }
}
