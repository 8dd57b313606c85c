// How much of a split an evaluation saw: a run's scores on 7 images say little about the 600 of a
// test split, so every evaluation says how many images of the split it scored and how many it could
// not score because the run has no prediction for them (predict their datasets to include them).

export interface EvaluationCoverage {
  /** The datasets whose images of the split were in scope. */
  datasets: string[]
  /** Images of the split in those datasets. */
  images: number
  /** Of those, the images with a prediction from the run: the ones scored. */
  scored: number
  /** Of those, the images without a prediction from the run: not scored. */
  unpredicted: number
  /**
   * Of those, images whose picture another dataset in scope also holds (FER+ relabels FER2013):
   * scored once, from the first dataset, and not again.
   */
  samePicture?: number
}

const count = (n: number): string => n.toLocaleString('en-US')

/** "Scored 593 of 600 test images; 7 have no prediction from this run." */
export function describeCoverage(split: string, c: EvaluationCoverage): string {
  if (c.images === 0)
    return `No ${split} images in ${c.datasets.length ? c.datasets.join(', ') : 'the datasets in scope'}.`
  const same = c.samePicture
    ? ` ${count(c.samePicture)} ${c.samePicture === 1 ? 'is a picture' : 'are pictures'} of another dataset in scope, scored once.`
    : ''
  if (c.unpredicted === 0 && !c.samePicture) return `Scored all ${count(c.images)} ${split} images.`
  if (c.unpredicted === 0) return `Scored ${count(c.scored)} of ${count(c.images)} ${split} images;${same}`
  const have = c.unpredicted === 1 ? 'has' : 'have'
  return `Scored ${count(c.scored)} of ${count(c.images)} ${split} images; ${count(c.unpredicted)} ${have} no prediction from this run.${same}`
}
