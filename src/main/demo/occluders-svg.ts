import type { Geometry } from './face-geometry'
import type { HandPose, Nuisance } from './face-params'
import type { Palette } from './palette'
import { n, p, pt, type Project } from './svg-kit'

// Hair, glasses and a hand: things in front of (or behind) the face that hide part of the evidence.

const OUTLINE = 0.35

/** Long hair falls behind the head and shoulders. */
export function hairBehindSvg(nu: Nuisance, g: Geometry, P: Project): string {
  if (nu.hairStyle !== 'long') return ''
  const { halfWidth: hw, top } = g.head
  const q = (x: number, y: number): string => pt(P(p(x, y), 0, OUTLINE))
  const d = `M${q(50 - hw - 4, 46)} C${q(50 - hw - 6, top - 9)} ${q(50 + hw + 6, top - 9)} ${q(50 + hw + 4, 46)} L${q(50 + hw + 7, 96)} L${q(50 - hw - 7, 96)} Z`
  return `<path d="${d}" fill="${nu.hair}"/>`
}

/** Hair over the top of the head; bangs reach down over the forehead towards the brows. */
export function hairFrontSvg(nu: Nuisance, g: Geometry, P: Project): string {
  if (nu.hairStyle === 'bald') return ''
  const { halfWidth: hw, top } = g.head
  const q = (x: number, y: number): string => pt(P(p(x, y), 0, OUTLINE))
  const cap =
    `M${q(50 - hw - 1.5, 50)} C${q(50 - hw - 2.5, top)} ${q(50 - hw * 0.6, top - 3.5)} ${q(50, top - 3.5)} ` +
    `C${q(50 + hw * 0.6, top - 3.5)} ${q(50 + hw + 2.5, top)} ${q(50 + hw + 1.5, 50)} `
  if (nu.hairStyle === 'bangs') {
    // A fringe with a ragged edge, ending just above the resting brows.
    const fringe = top + 19
    const pts: string[] = []
    for (let i = 0; i <= 8; i++) {
      const x = 50 + hw - 2 - (i * (2 * hw - 4)) / 8
      pts.push(`L${q(x, fringe + (i % 2 === 0 ? 0 : -2.6) + (i === 0 || i === 8 ? -4 : 0))}`)
    }
    return `<path d="${cap}L${q(50 + hw - 1, 44)} ${pts.join(' ')} L${q(50 - hw + 1, 44)} Z" fill="${nu.hair}"/>`
  }
  const line = top + 10
  const d = `${cap}L${q(50 + hw - 1, 44)} C${q(50 + hw - 2, line + 4)} ${q(60, line - 1)} ${q(50, line)} C${q(40, line - 1)} ${q(50 - hw + 2, line + 4)} ${q(50 - hw + 1, 44)} Z`
  return `<path d="${d}" fill="${nu.hair}"/>`
}

export function glassesSvg(nu: Nuisance, g: Geometry, P: Project): string {
  if (nu.glasses === 'none') return ''
  const lens = nu.glasses === 'sun' ? 'fill="#141418" fill-opacity="0.88"' : 'fill="#ffffff" fill-opacity="0.14"'
  const frame = 'stroke="#1d1d24" stroke-width="1.5"'
  const out: string[] = []
  for (const e of g.eyes) {
    const c = P(p(e.cx, e.cy), 1)
    const w = e.halfWidth + 3.2
    out.push(`<rect x="${n(c.x - w)}" y="${n(c.y - 5.5)}" width="${n(2 * w)}" height="11" rx="3.5" ${lens} ${frame}/>`)
  }
  const [l, r] = g.eyes
  const a = P(p(l.cx + l.halfWidth + 3.2, l.cy - 1.5), 2)
  const b = P(p(r.cx - r.halfWidth - 3.2, r.cy - 1.5), 2)
  out.push(`<path d="M${pt(a)} Q${n((a.x + b.x) / 2)} ${n(a.y - 2.2)} ${pt(b)}" fill="none" ${frame}/>`)
  for (const s of [-1, 1]) {
    const e = s < 0 ? l : r
    const from = P(p(e.cx + s * (e.halfWidth + 3.2), e.cy - 3), 1)
    const to = P(p(50 + s * (g.head.halfWidth + 0.5), e.cy - 2), 0, OUTLINE)
    out.push(`<path d="M${pt(from)} L${pt(to)}" fill="none" ${frame}/>`)
  }
  return out.join('')
}

/** A hand with four fingers and a thumb, drawn palm-centred then turned and placed. */
export function handSvg(hand: HandPose | null, pal: Palette): string {
  if (!hand) return ''
  const style = `fill="${pal.hand}" stroke="${pal.shade}" stroke-width="0.8"`
  const fingers = [-6.3, -2.1, 2.1, 6.3].map((x, i) => {
    const len = [10, 12.5, 12, 9.5][i]
    return `<rect x="${n(x - 2.1)}" y="${n(-9 - len)}" width="4.2" height="${n(len + 3)}" rx="2.1" ${style}/>`
  })
  const thumb = `<rect x="7" y="-9" width="4.4" height="11" rx="2.2" transform="rotate(-35 9 -3)" ${style}/>`
  const palm = `<rect x="-8.6" y="-10" width="17.2" height="22" rx="6" ${style}/>`
  return `<g transform="translate(${n(hand.x)} ${n(hand.y)}) rotate(${n(hand.angleDeg)}) scale(${n(hand.scale)})">${fingers.join('')}${thumb}${palm}</g>`
}
