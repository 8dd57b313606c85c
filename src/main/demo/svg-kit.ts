import type { Pt } from './face-geometry'

// Small helpers to write SVG by hand: short numbers, points and the simulated head turn.

/** A number with at most two decimals, so that SVG text stays short and identical across runs. */
export const n = (v: number): string => String(Math.round(v * 100) / 100)

export const pt = (p: Pt): string => `${n(p.x)} ${n(p.y)}`

export const p = (x: number, y: number): Pt => ({ x, y })

/**
 * Simulated yaw: the head is a vertical cylinder of the face's half width with a shallower depth;
 * turning it moves each point sideways by its depth (z adds the point's own relief, e.g. the nose
 * tip). Points near the face's edge move less than the nose, so the far side looks narrower.
 * `relief` scales the cylinder's depth (the head outline uses less, so the silhouette stays put).
 */
export type Project = (q: Pt, z?: number, relief?: number) => Pt

export function projector(yaw: number, headHalfWidth: number): Project {
  const radius = headHalfWidth + 2
  const depth = 18
  const c = Math.cos(yaw)
  const s = Math.sin(yaw)
  return (q, z = 0, relief = 1) => {
    const x = q.x - 50
    const profile = depth * relief * Math.sqrt(Math.max(0, 1 - (x / radius) ** 2))
    return { x: 50 + x * c + (profile + z) * s, y: q.y }
  }
}

/** A quadratic curve from a to b through the point m at its middle (the control is derived). */
export function through(a: Pt, m: Pt, b: Pt): Pt {
  return { x: 2 * m.x - (a.x + b.x) / 2, y: 2 * m.y - (a.y + b.y) / 2 }
}

export const stroke = (d: string, colour: string, width: number, opacity = 1): string =>
  opacity <= 0.005
    ? ''
    : `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${n(width)}" stroke-linecap="round" stroke-linejoin="round"${opacity < 1 ? ` stroke-opacity="${n(opacity)}"` : ''}/>`

export const fill = (d: string, colour: string, opacity = 1): string =>
  opacity <= 0.005 ? '' : `<path d="${d}" fill="${colour}"${opacity < 1 ? ` fill-opacity="${n(opacity)}"` : ''}/>`
