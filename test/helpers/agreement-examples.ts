// Published worked examples of agreement statistics, shared by the statistics tests.

// Fleiss (1971), Table 1: 30 psychiatric patients, 6 raters each, categories depression,
// personality disorder, schizophrenia, neurosis, other (as transcribed in the R package quadagree).
export const FLEISS_1971 = [
  [0, 0, 0, 6, 0],
  [0, 3, 0, 0, 3],
  [0, 1, 4, 0, 1],
  [0, 0, 0, 0, 6],
  [0, 3, 0, 3, 0],
  [2, 0, 4, 0, 0],
  [0, 0, 4, 0, 2],
  [2, 0, 3, 1, 0],
  [2, 0, 0, 4, 0],
  [0, 0, 0, 0, 6],
  [1, 0, 0, 5, 0],
  [1, 1, 0, 4, 0],
  [0, 3, 3, 0, 0],
  [1, 0, 0, 5, 0],
  [0, 2, 0, 3, 1],
  [0, 0, 5, 0, 1],
  [3, 0, 0, 1, 2],
  [5, 1, 0, 0, 0],
  [0, 2, 0, 4, 0],
  [1, 0, 2, 0, 3],
  [0, 0, 0, 0, 6],
  [0, 1, 0, 5, 0],
  [0, 2, 0, 1, 3],
  [2, 0, 0, 4, 0],
  [1, 0, 0, 4, 1],
  [0, 5, 0, 1, 0],
  [4, 0, 0, 0, 2],
  [0, 2, 0, 4, 0],
  [1, 0, 5, 0, 0],
  [0, 0, 0, 0, 6],
]

// Wikipedia, "Fleiss' kappa", worked example: 10 items, 14 raters, 5 categories.
export const WIKIPEDIA_FLEISS = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
]

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
// 12 units, nominal codes 1-5 (here 0-4), with missing codes. Gwet's irrCAC ships it as cac.raw4raters.
export const KRIPPENDORFF_2011 = [
  [0, 0, null, 0],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [2, 2, 2, 2],
  [1, 1, 1, 1],
  [0, 1, 2, 3],
  [3, 3, 3, 3],
  [0, 0, 1, 0],
  [1, 1, 1, 1],
  [null, 4, 4, 4],
  [null, null, 0, 0],
  [null, null, 2, null],
]

// Krippendorff (2011), section A: two observers, ten units, binary codes; alpha = 0.095.
export const KRIPPENDORFF_2011_BINARY = [
  [0, 1],
  [1, 1],
  [0, 1],
  [0, 0],
  [0, 0],
  [0, 1],
  [0, 0],
  [0, 0],
  [1, 0],
  [0, 0],
]

// Wikipedia, "Krippendorff's alpha", computational example: 3 coders, 15 units, codes 1-4 (here
// 0-3), many missing; nominal alpha = 0.691.
export const WIKIPEDIA_KRIPPENDORFF = [
  [null, 0, null],
  [null, null, null],
  [null, 1, 1],
  [null, 0, 0],
  [null, 2, 2],
  [2, 2, 3],
  [3, 3, 3],
  [0, 2, null],
  [1, null, 1],
  [0, null, 0],
  [0, null, 0],
  [2, null, 2],
  [2, null, 2],
  [null, null, null],
  [2, null, 3],
]

// Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges; ICC(3,1) = 0.71 (0.7148 unrounded).
export const SHROUT_FLEISS_1979 = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
]
