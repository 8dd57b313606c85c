// The paper's own figures (Pons & Masip, Tables 1 and 2; accuracy), shown under a comparison for
// reference. They are on SFEW / EmotioNet / CK+, not on the workspace's data.

export interface PaperRow {
  table: 'Table 1' | 'Table 2'
  method: string
  network: string
  sfewEmotion: number | null
  emotionetAus: number | null
}

export const PAPER_RESULTS: PaperRow[] = [
  { table: 'Table 1', method: 'single network', network: 'VGG-16', sfewEmotion: 0.375, emotionetAus: 0.932 },
  { table: 'Table 1', method: 'single network', network: 'ResNet-32', sfewEmotion: 0.378, emotionetAus: 0.932 },
  { table: 'Table 1', method: 'single network', network: 'ResNet-110', sfewEmotion: 0.413, emotionetAus: 0.939 },
  { table: 'Table 2', method: 'classical multi-task', network: 'ResNet-32', sfewEmotion: 0.394, emotionetAus: 0.937 },
  { table: 'Table 2', method: 'classical multi-task', network: 'ResNet-110', sfewEmotion: 0.403, emotionetAus: 0.936 },
  { table: 'Table 2', method: 'SJMT', network: 'ResNet-32', sfewEmotion: 0.406, emotionetAus: 0.935 },
  { table: 'Table 2', method: 'SJMT', network: 'ResNet-110', sfewEmotion: 0.459, emotionetAus: 0.939 },
]
