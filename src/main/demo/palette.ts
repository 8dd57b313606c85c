import { luminance, mix } from './colour'
import type { Nuisance } from './face-params'

// The colours of one face, all derived from its skin and hair so that lines and lips stay readable
// on every skin tone (a brow lighter than the skin would hide AU1, AU2 and AU4).

export interface Palette {
  skin: string
  shade: string
  line: string
  lip: string
  lipLine: string
  brow: string
  blush: string
  lash: string
  iris: string
  hair: string
  neck: string
  hand: string
}

export function paletteOf(nuisance: Nuisance): Palette {
  const { skin, hair, iris } = nuisance
  let brow = mix(hair, '#000000', 0.25)
  const floor = luminance(skin) * 0.5
  for (let k = 0.2; luminance(brow) > floor && k <= 1; k += 0.2) brow = mix(brow, '#140c08', k)
  return {
    skin,
    shade: mix(skin, '#2a1208', 0.3),
    line: mix(skin, '#2a1208', 0.6),
    lip: mix(mix(skin, '#b5404c', 0.5), '#000000', 0.06),
    lipLine: mix(skin, '#240806', 0.75),
    brow,
    blush: mix(skin, '#e0505a', 0.55),
    lash: mix(skin, '#0c0606', 0.85),
    iris,
    hair,
    neck: mix(skin, '#2a1208', 0.14),
    hand: mix(skin, '#d08070', 0.1),
  }
}
