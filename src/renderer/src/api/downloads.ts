import { getTransport } from './transport'

// Headless mode's half of exports: main wrote the file into the workspace (exports.create) and the
// server streams it at /download/<id> behind the page's token cookie. The desktop app has no URL for
// it: there the file was already written where the user chose in the save dialog.

/** Where the browser downloads an export (or its JSON description); null in the desktop app. */
export function downloadUrl(id: string, part: 'csv' | 'sidecar' = 'csv'): string | null {
  if (getTransport().kind !== 'headless') return null
  return `/download/${encodeURIComponent(id)}${part === 'sidecar' ? '/sidecar' : ''}`
}

/** Starts the browser's download of an export, as if its link had been clicked. */
export function startDownload(id: string, part: 'csv' | 'sidecar' = 'csv'): boolean {
  const url = downloadUrl(id, part)
  if (!url) return false
  const link = document.createElement('a')
  link.href = url
  link.download = ''
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  return true
}
