import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

// The proxy frames of a workspace (proxy-frames.ts) are a cache: together they stay within a byte
// budget, the proxies used least recently removed first (a removed one is written again when its
// video is opened). A pass a killed process left half-written is removed too.

/** Bytes the proxy frames of one workspace may take. */
export const PROXY_BUDGET_BYTES = 2 * 1024 ** 3

interface Proxy {
  name: string
  bytes: number
  usedAt: number
}

function proxiesIn(dir: string): Proxy[] {
  const byName = new Map<string, Proxy>()
  for (const file of readdirSync(dir)) {
    const m = /^(.+)\.(frames|index\.json)$/.exec(file)
    if (!m) continue
    const stat = statSync(join(dir, file))
    const p = byName.get(m[1]) ?? { name: m[1], bytes: 0, usedAt: 0 }
    p.bytes += stat.size
    if (m[2] === 'index.json') p.usedAt = stat.mtimeMs
    byName.set(m[1], p)
  }
  return [...byName.values()]
}

/** Removes proxies, least recently used first, until the rest fit the budget; `keep` stays. */
export function trimProxies(dir: string, keep: string[], budget = PROXY_BUDGET_BYTES): void {
  for (const file of readdirSync(dir)) {
    const m = /\.(\d+)\.partial$/.exec(file)
    if (m && Number(m[1]) !== process.pid) rmSync(join(dir, file), { force: true })
  }
  const proxies = proxiesIn(dir).sort((a, b) => a.usedAt - b.usedAt)
  let total = proxies.reduce((sum, p) => sum + p.bytes, 0)
  for (const p of proxies) {
    if (total <= budget) break
    if (keep.includes(p.name)) continue
    // The index first: without it the frames file no longer counts as a proxy.
    rmSync(join(dir, `${p.name}.index.json`), { force: true })
    rmSync(join(dir, `${p.name}.frames`), { force: true })
    total -= p.bytes
  }
}
