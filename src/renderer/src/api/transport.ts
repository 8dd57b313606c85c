import type { WorkbenchBridge } from '@shared/bridge'
import { MEDIA_SCHEME } from '@shared/bridge'
import type { CallResult } from '@shared/errors'

// How the renderer reaches main: Electron's preload bridge when it is there, else the headless
// server that served this page (HTTP POST per call, one WebSocket for events).
export interface Transport {
  kind: 'electron' | 'headless'
  invoke(method: string, args: unknown): Promise<CallResult<unknown>>
  on(event: string, callback: (payload: unknown) => void): () => void
  mediaUrl(id: number, kind: 'thumb' | 'full' | 'crop' | 'proxy'): string
}

declare global {
  interface Window {
    api?: WorkbenchBridge
  }
}

function electronTransport(bridge: WorkbenchBridge): Transport {
  return {
    kind: 'electron',
    invoke: (method, args) => bridge.invoke(method as never, args as never) as Promise<CallResult<unknown>>,
    on: (event, callback) => bridge.on(event as never, callback as never),
    mediaUrl: (id, kind) => `${MEDIA_SCHEME}://${kind}/${id}`,
  }
}

const TOKEN_KEY = 'affect-token'

/** The token arrives once in the page URL; keep it for this tab and take it out of the address bar. */
function headlessToken(): string {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

function headlessTransport(): Transport {
  const token = headlessToken()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let socket: WebSocket | null = null
  let retry = 500

  const connect = () => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
    socket = new WebSocket(`${scheme}://${window.location.host}/events?token=${encodeURIComponent(token)}`)
    socket.onopen = () => (retry = 500)
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown }
      listeners.get(event)?.forEach((cb) => cb(payload))
    }
    // The server may restart (or the SSH tunnel drop): reconnect with backoff.
    socket.onclose = () => {
      socket = null
      setTimeout(connect, retry)
      retry = Math.min(retry * 2, 10_000)
    }
  }
  connect()

  return {
    kind: 'headless',
    async invoke(method, args) {
      try {
        const response = await fetch(`/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(args ?? {}),
        })
        if (response.status === 401)
          return {
            ok: false,
            error: {
              code: 'unauthorized',
              message: 'The workbench server refused this page: open the URL that `affect serve` printed.',
            },
          }
        return (await response.json()) as CallResult<unknown>
      } catch (e) {
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `The workbench server did not answer (${(e as Error).message}). Is \`affect serve\` still running?`,
          },
        }
      }
    },
    on(event, callback) {
      if (!listeners.has(event)) listeners.set(event, new Set())
      listeners.get(event)!.add(callback)
      return () => listeners.get(event)?.delete(callback)
    },
    mediaUrl: (id, kind) => `/media/${kind}/${id}`,
  }
}

let transport: Transport | null = null

/** Picks Electron or headless by itself, once. */
export function getTransport(): Transport {
  transport ??= window.api ? electronTransport(window.api) : headlessTransport()
  return transport
}

/** Tests inject a fake transport. */
export function setTransport(t: Transport | null): void {
  transport = t
}
