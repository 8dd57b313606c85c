import type { Geometry, Pt } from './face-geometry'
import type { Palette } from './palette'
import { fill, n, p, pt, stroke, through, type Project } from './svg-kit'

// Nose, mouth and chin: the evidence of AU9, AU10, AU12, AU14, AU15, AU16, AU17, AU20, AU23-26.

const SIDES = [-1, 1] as const

function nose(g: Geometry, P: Project, pal: Palette): string {
  const { rootY, tipY, wing, wingLift } = g.nose
  const q = (x: number, y: number, z: number): string => pt(P(p(x, y), z))
  const out: string[] = []
  out.push(
    stroke(`M${q(48, rootY + 1, 4)} Q${q(47, (rootY + tipY) / 2, 5)} ${q(47.4, tipY - 3.2, 6)}`, pal.shade, 0.8, 0.45),
  )
  const y = tipY - wingLift
  const base =
    `M${q(50 - wing, tipY - 2.4 - wingLift, 3)} Q${q(50 - wing - 1.7, y + 1.2, 3)} ${q(50 - 2.6, y + 1.4, 5)} ` +
    `Q${q(50, tipY + 2.8 - 0.4 * wingLift, 7)} ${q(50 + 2.6, y + 1.4, 5)} ` +
    `Q${q(50 + wing + 1.7, y + 1.2, 3)} ${q(50 + wing, tipY - 2.4 - wingLift, 3)}`
  out.push(stroke(base, pal.shade, 1.05))
  for (const s of SIDES) {
    const c = P(p(50 + s * 2.6, y + 0.5), 5)
    out.push(`<ellipse cx="${n(c.x)}" cy="${n(c.y)}" rx="1.35" ry="0.75" fill="#3a2018" fill-opacity="0.7"/>`)
  }
  // AU9: horizontal wrinkles across the bridge and oblique ones at its root.
  for (let k = 0; k < 3; k++) {
    const wy = rootY + 2.6 + 2.3 * k
    out.push(stroke(`M${q(46.6, wy, 4)} Q${q(50, wy + 1.4, 5)} ${q(53.4, wy, 4)}`, pal.line, 0.75, g.lines.noseWrinkle))
  }
  for (const s of SIDES) {
    out.push(
      stroke(
        `M${q(50 + s * 2.6, rootY + 0.5, 3)} L${q(50 + s * 5.2, rootY + 4.2, 2)}`,
        pal.line,
        0.7,
        g.lines.noseWrinkle,
      ),
    )
    // AU9: a short furrow beside the raised wing of the nose.
    const a = P(p(50 + s * (wing + 0.9), tipY - 1.2 - wingLift), 2)
    const b = P(p(50 + s * (wing + 3.4), tipY + 4.6), 2)
    const m = P(p(50 + s * (wing + 2.6), tipY + 1.2), 2)
    out.push(stroke(`M${pt(a)} Q${pt(through(a, m, b))} ${pt(b)}`, pal.line, 0.8, g.lines.noseFurrow))
  }
  return out.join('')
}

function nasolabial(g: Geometry, P: Project, pal: Palette): string {
  // AU12 (and AU10) deepen the fold running from the wing of the nose past the lip corner.
  const { tipY, wing } = g.nose
  return SIDES.map((s) => {
    const corner = s < 0 ? g.mouth.left : g.mouth.right
    const a = P(p(50 + s * (wing + 1.6), tipY - 0.6), 2)
    const b = P(p(corner.x + s * 2.6, corner.y + 1.8), 2)
    const m = P(p(50 + s * (wing + 5.2), (tipY + corner.y) / 2 + 0.4), 2)
    return stroke(`M${pt(a)} Q${pt(through(a, m, b))} ${pt(b)}`, pal.line, 0.85, g.lines.nasolabial)
  }).join('')
}

function mouth(g: Geometry, P: Project, pal: Palette): string {
  const m = g.mouth
  const z = 2
  const q = (x: number, y: number): string => pt(P(p(x, y), z))
  const L = m.left
  const R = m.right
  const ctrl = (centreY: number): string => q(50, 2 * centreY - L.y)
  const out: string[] = []
  // Upper lip with its cupid's bow, then the lower lip.
  const t = m.upperTop
  const upperLip =
    `M${q(L.x, L.y)} Q${q(L.x + (46.3 - L.x) * 0.45, t - 0.2)} ${q(46.3, t)} Q${q(48.4, t)} ${q(50, t + 0.9)} ` +
    `Q${q(51.6, t)} ${q(53.7, t)} Q${q(R.x - (R.x - 53.7) * 0.45, t - 0.2)} ${q(R.x, R.y)} ` +
    `Q${ctrl(m.upperEdge)} ${q(L.x, L.y)} Z`
  const lowerLip = `M${q(L.x, L.y)} Q${ctrl(m.lowerTop)} ${q(R.x, R.y)} Q${ctrl(m.lowerBottom)} ${q(L.x, L.y)} Z`
  out.push(fill(lowerLip, pal.lip), fill(upperLip, pal.lip))
  const open = m.lowerTop - m.upperEdge
  const edge = `M${q(L.x, L.y)} Q${ctrl(m.upperEdge)} ${q(R.x, R.y)}`
  if (open > 0.3) {
    const cavity = `${edge} Q${ctrl(m.lowerTop)} ${q(L.x, L.y)} Z`
    out.push(`<clipPath id="mouth"><path d="${cavity}"/></clipPath>`, fill(cavity, '#3b1114'))
    // Teeth hang from the upper lip (a wide white stroke along its edge, clipped to the opening).
    const teeth = Math.min(2.6, open * 0.5)
    out.push(`<g clip-path="url(#mouth)">`, stroke(edge, '#f2eee6', 2 * teeth))
    if (open > 4.5) out.push(stroke(`M${q(L.x, L.y)} Q${ctrl(m.lowerTop)} ${q(R.x, R.y)}`, '#e6e0d6', 1.6))
    out.push('</g>')
    out.push(stroke(cavity, pal.lipLine, 0.5, 0.8))
  } else {
    out.push(stroke(edge, pal.lipLine, 0.95))
  }
  for (const s of SIDES) {
    const c: Pt = s < 0 ? L : R
    // AU14: dimples just outside the corners. AU15: lines pulled down from the corners.
    out.push(
      stroke(
        `M${q(c.x + s * 1.2, c.y - 1.9)} Q${q(c.x + s * 2.6, c.y)} ${q(c.x + s * 1.2, c.y + 1.9)}`,
        pal.line,
        0.7,
        g.lines.dimple,
      ),
    )
    out.push(
      stroke(
        `M${q(c.x + s * 0.3, c.y + 0.9)} Q${q(c.x + s * 1.2, c.y + 2.6)} ${q(c.x + s * 0.9, c.y + 4.4)}`,
        pal.line,
        0.75,
        g.lines.cornerDepressor,
      ),
    )
  }
  // AU23/AU24: the skin bulges above and below tightened, pressed lips.
  out.push(
    stroke(
      `M${q(44, m.upperTop - 1.4)} Q${q(50, m.upperTop - 3.2)} ${q(56, m.upperTop - 1.4)}`,
      pal.line,
      0.7,
      0.7 * g.lines.lipPress,
    ),
  )
  out.push(
    stroke(
      `M${q(44.5, m.lowerBottom + 1.3)} Q${q(50, m.lowerBottom + 3)} ${q(55.5, m.lowerBottom + 1.3)}`,
      pal.line,
      0.7,
      0.7 * g.lines.lipPress,
    ),
  )
  return out.join('')
}

function chin(g: Geometry, P: Project, pal: Palette): string {
  const c = g.chin
  const z = 1
  const q = (x: number, y: number): string => pt(P(p(x, y), z))
  const boss = P(p(50, c.bossY), z)
  const out = [
    `<ellipse cx="${n(boss.x)}" cy="${n(boss.y)}" rx="7.5" ry="3.6" fill="${pal.shade}" fill-opacity="${n(c.bossOpacity)}"/>`,
    stroke(
      `M${q(45, c.sulcusY - 0.3)} Q${q(50, c.sulcusY + 1.6)} ${q(55, c.sulcusY - 0.3)}`,
      pal.line,
      0.8,
      c.sulcusOpacity,
    ),
  ]
  // AU17: the raised chin boss catches the light along its lower edge...
  out.push(
    stroke(
      `M${q(44, c.bossY + 1.6)} Q${q(50, c.bossY + 4.4)} ${q(56, c.bossY + 1.6)}`,
      pal.shade,
      0.9,
      c.bossOpacity * 1.6,
    ),
  )
  // ...and its skin puckers ("orange peel").
  const dots = [
    [-4, -1],
    [-1.5, -1.6],
    [1.5, -1.6],
    [4, -1],
    [-2.8, 1],
    [0, 0.6],
    [2.8, 1],
  ]
  for (const [dx, dy] of dots) {
    const d = P(p(50 + dx, c.bossY + dy), z)
    if (g.lines.chinWrinkle > 0.005)
      out.push(
        `<circle cx="${n(d.x)}" cy="${n(d.y)}" r="0.42" fill="${pal.line}" fill-opacity="${n(0.6 * g.lines.chinWrinkle)}"/>`,
      )
  }
  return out.join('')
}

export function lowerFaceSvg(g: Geometry, P: Project, pal: Palette): string {
  return [nasolabial(g, P, pal), nose(g, P, pal), mouth(g, P, pal), chin(g, P, pal)].join('')
}
