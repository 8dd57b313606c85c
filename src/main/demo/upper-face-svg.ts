import type { Brow, Eye, Geometry } from './face-geometry'
import type { Palette } from './palette'
import { fill, n, p, pt, stroke, through, type Project } from './svg-kit'

// Brows, forehead and glabella lines, eyes, cheeks: the evidence of AU1, AU2, AU4, AU5, AU6, AU7.

const SIDES = [-1, 1] as const

function brow(b: Brow, P: Project, colour: string): string {
  // A tapered band: thin at the tail, full at the head, as brows are drawn in FACS sketches.
  const c = through(b.outer, b.mid, b.inner)
  const [ho, hc, hi] = [0.32, 0.5, 0.56].map((k) => k * b.thickness)
  const q = (x: number, y: number): string => pt(P(p(x, y), 1))
  const d =
    `M${q(b.outer.x, b.outer.y - ho)} Q${q(c.x, c.y - hc)} ${q(b.inner.x, b.inner.y - hi)} ` +
    `L${q(b.inner.x, b.inner.y + hi)} Q${q(c.x, c.y + hc)} ${q(b.outer.x, b.outer.y + ho)} Z`
  return `<path d="${d}" fill="${colour}" stroke="${colour}" stroke-width="0.6" stroke-linejoin="round"/>`
}

function foreheadLines(g: Geometry, P: Project, colour: string): string {
  const [bl, br] = g.brows
  const out: string[] = []
  const arc = (x0: number, y0: number, x1: number, y1: number, bulge: number): string => {
    const a = P(p(x0, y0), 1)
    const b = P(p(x1, y1), 1)
    const m = P(p((x0 + x1) / 2, (y0 + y1) / 2 - bulge), 1)
    return `M${pt(a)} Q${pt(through(a, m, b))} ${pt(b)}`
  }
  // AU1: short lines across the middle of the forehead, above the raised inner brows.
  const innerTop = Math.min(bl.inner.y, br.inner.y)
  for (let k = 0; k < 3; k++) {
    const y = innerTop - 4.5 - 2.9 * k
    out.push(stroke(arc(42, y + 0.6, 58, y + 0.6, 0.9), colour, 0.85, g.lines.foreheadCentre))
  }
  // AU2: lines above each raised outer brow, following its arch.
  for (const b of [bl, br]) {
    const s = Math.sign(b.outer.x - 50)
    for (let k = 0; k < 3; k++) {
      const y = b.mid.y - 4.8 - 2.9 * k
      out.push(stroke(arc(50 + s * 9.5, y + 0.8, 50 + s * 24, y + 1.6, 1), colour, 0.85, g.lines.foreheadSides))
    }
  }
  // AU4: vertical furrows between the knitted brows and a horizontal one at the root of the nose.
  const gy = Math.max(bl.inner.y, br.inner.y)
  for (const s of SIDES) {
    const top = P(p(50 + s * 1.7, gy - 4), 2)
    const bottom = P(p(50 + s * 1.2, gy + 1.8), 2)
    const mid = P(p(50 + s * 2.1, gy - 1), 2)
    out.push(stroke(`M${pt(top)} Q${pt(through(top, mid, bottom))} ${pt(bottom)}`, colour, 0.85, g.lines.glabella))
  }
  out.push(stroke(`M${pt(P(p(47.6, 43.4), 3))} L${pt(P(p(52.4, 43.4), 3))}`, colour, 0.75, 0.6 * g.lines.glabella))
  return out.join('')
}

function eye(e: Eye, index: number, P: Project, pal: Palette, g: Geometry): string {
  const s = index === 0 ? -1 : 1
  const q = (x: number, y: number, z = 0): string => pt(P(p(x, y), z))
  const l = { x: e.cx - e.halfWidth, y: e.cy }
  const r = { x: e.cx + e.halfWidth, y: e.cy }
  const upper = `M${q(l.x, l.y)} Q${q(e.cx, e.cy - 2 * e.upper)} ${q(r.x, r.y)}`
  const lower = `M${q(l.x, l.y)} Q${q(e.cx, e.cy + 2 * e.lower)} ${q(r.x, r.y)}`
  const almond = `${upper} Q${q(e.cx, e.cy + 2 * e.lower)} ${q(l.x, l.y)} Z`
  const iris = P(p(e.cx, e.cy + 0.3))
  const id = `eye${index}`
  const out = [
    `<clipPath id="${id}"><path d="${almond}"/></clipPath>`,
    fill(almond, '#f6f3ee'),
    `<g clip-path="url(#${id})">`,
    `<circle cx="${n(iris.x)}" cy="${n(iris.y)}" r="${n(e.irisR)}" fill="${pal.iris}"/>`,
    `<circle cx="${n(iris.x)}" cy="${n(iris.y)}" r="${n(e.irisR * 0.45)}" fill="#0d0b0a"/>`,
    `<circle cx="${n(iris.x + 0.9)}" cy="${n(iris.y - 0.9)}" r="0.6" fill="#ffffff"/>`,
    // The upper lid's shadow on the eyeball, so that a raised lid (AU5) shows white above the iris.
    stroke(upper, pal.shade, 1.6, 0.5),
    '</g>',
    stroke(upper, pal.lash, 1.25),
    stroke(lower, pal.line, 0.6, 0.7),
  ]
  // Lid crease, hidden as the lid rises.
  const creaseY = e.cy - e.upper - 1.6
  out.push(
    stroke(
      `M${q(l.x + 0.8, e.cy - 0.9)} Q${q(e.cx, 2 * creaseY - e.cy + 0.9)} ${q(r.x - 0.8, e.cy - 0.9)}`,
      pal.line,
      0.6,
      e.creaseOpacity,
    ),
  )
  // AU6/AU7: the lower lid bulges and a furrow forms beneath it.
  const fy = e.cy + e.lower + 2.3
  out.push(
    stroke(
      `M${q(e.cx - e.halfWidth * 0.8, fy - 0.4)} Q${q(e.cx, fy + 2.2)} ${q(e.cx + e.halfWidth * 0.8, fy - 0.4)}`,
      pal.line,
      0.7,
      g.lines.infraorbital,
    ),
  )
  // AU6: crow's feet fanning out from the outer corner.
  const ox = e.cx + s * (e.halfWidth + 1.3)
  for (const a of [-0.45, 0, 0.45]) {
    const x1 = ox + s * 3.4 * Math.cos(a)
    const y1 = e.cy + 3.4 * Math.sin(a)
    out.push(stroke(`M${q(ox, e.cy)} L${q(x1, y1)}`, pal.line, 0.65, g.lines.crowsFeet))
  }
  return out.join('')
}

function cheeks(g: Geometry, P: Project, pal: Palette): string {
  // AU6 lifts the cheeks: the rounded, flushed cheek moves up towards the eye.
  return SIDES.map((s) => {
    const c = P(p(50 + s * 16, g.cheekY), 1)
    return `<ellipse cx="${n(c.x)}" cy="${n(c.y)}" rx="7.2" ry="4.6" fill="${pal.blush}" fill-opacity="${n(g.cheekBlush)}"/>`
  }).join('')
}

export function upperFaceSvg(g: Geometry, P: Project, pal: Palette): string {
  return [
    cheeks(g, P, pal),
    foreheadLines(g, P, pal.line),
    eye(g.eyes[0], 0, P, pal, g),
    eye(g.eyes[1], 1, P, pal, g),
    brow(g.brows[0], P, pal.brow),
    brow(g.brows[1], P, pal.brow),
  ].join('')
}
