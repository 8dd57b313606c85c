import type { SnapshotClass, SnapshotDataset } from '../data/snapshot'

// Test fixture (not shipped): a small union label space for the loss tests. 2 emotions, 2 AUs;
// dataset E annotates emotions, A annotates AUs, M one of each.

export const classes: SnapshotClass[] = [
  { code: 'happy', kind: 'emotion' },
  { code: 'sad', kind: 'emotion' },
  { code: 'AU6', kind: 'au' },
  { code: 'AU12', kind: 'au' },
]
export const datasets: SnapshotDataset[] = [
  { name: 'E', classCodes: ['happy', 'sad'] },
  { name: 'A', classCodes: ['AU6', 'AU12'] },
  { name: 'M', classCodes: ['sad', 'AU12'] },
]
export const snapshot = { classes, datasets }
