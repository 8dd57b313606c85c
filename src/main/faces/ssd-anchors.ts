// The anchor boxes of face-api's SSD-MobileNetV1, for any input size.
//
// face-api ships the anchors of a 512 x 512 input as a weight (`output_layer/extra_dim`, 5118
// boxes) and always pads a photo to a square before resizing it to 512, so a 3:2 photo spends a
// third of the network's time on black padding. The anchors follow the TensorFlow Object
// Detection API's multiple-grid generator (checked equal to the shipped ones in ssd-anchors.test):
// six feature maps, the first with 3 boxes per cell (scale 0.1 square, 0.2 at aspect 2 and 1/2),
// the others with 6 (scales 0.35 ... 0.95, aspects 1, 2, 1/2, 3, 1/3, plus the geometric mean of
// this scale and the next). Generating them for a non-square grid lets the detector run on the
// photo's own aspect ratio; anchor sizes stay in the pixels of the 512 network, so every face
// meets the same anchor it would have met in the padded square.

/** Pixels of the square input the network was trained on (and anchor scales refer to). */
export const SSD_TRAINED_SIZE = 512

const SCALES = [0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1.0]
const ASPECTS = [2, 0.5, 3, 0.3333]

/** [scale, aspect] of each box in one cell of feature map `level`. */
function cellShapes(level: number): [number, number][] {
  if (level === 0)
    return [
      [0.1, 1],
      [0.2, 2],
      [0.2, 0.5],
    ]
  const scale = SCALES[level]
  return [
    [scale, 1],
    [Math.sqrt(scale * SCALES[level + 1]), 1],
    ...ASPECTS.map((aspect): [number, number] => [scale, aspect]),
  ]
}

/** Rows and columns of a feature map for an input of `size` pixels along one axis ('same' padding). */
export function featureMapSizes(size: number): number[] {
  // conv11 (stride 16), conv13 (32), then four stride-2 layers.
  const sizes = [Math.ceil(size / 16)]
  for (let level = 1; level < 6; level++) sizes.push(Math.ceil(sizes[level - 1] / 2))
  return sizes
}

/**
 * Anchors for an input of width x height pixels, as [ymin, xmin, ymax, xmax] per box normalised
 * to that input, in the order the prediction layers emit them (map, row, column, box).
 */
export function ssdAnchors(width: number, height: number): Float32Array {
  const rows = featureMapSizes(height)
  const cols = featureMapSizes(width)
  const count = rows.reduce((sum, r, level) => sum + r * cols[level] * cellShapes(level).length, 0)
  const out = new Float32Array(count * 4)
  let k = 0
  for (let level = 0; level < 6; level++) {
    const shapes = cellShapes(level)
    for (let i = 0; i < rows[level]; i++) {
      for (let j = 0; j < cols[level]; j++) {
        const cy = (i + 0.5) / rows[level]
        const cx = (j + 0.5) / cols[level]
        for (const [scale, aspect] of shapes) {
          const h = ((scale / Math.sqrt(aspect)) * SSD_TRAINED_SIZE) / height
          const w = (scale * Math.sqrt(aspect) * SSD_TRAINED_SIZE) / width
          out.set([cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2], k)
          k += 4
        }
      }
    }
  }
  return out
}
