import type { Server } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import type { EventBus } from '../app/event-bus'
import { explicitToken } from './auth'
import { foreignPage, loopbackHost } from './request-guard'

/**
 * The event socket (/events): every event of the bus, as JSON, to each page that connected with the
 * token and from our own origin. Returns what closes it.
 */
export function attachEventSocket(
  server: Server,
  events: EventBus,
  accepts: (token: string | null) => boolean,
): () => void {
  // The page never sends messages on the event socket: a small payload limit keeps it that way.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`)
      socket.destroy()
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const host = loopbackHost(req)
    if (!host) return refuse('403 Forbidden')
    if (url.pathname !== '/events' || !accepts(explicitToken(req, url))) return refuse('401 Unauthorized')
    if (foreignPage(req, host)) return refuse('403 Forbidden')
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => sockets.emit('connection', ws, req))
  })
  const unsubscribe = events.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload })
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message)
  })
  return () => {
    unsubscribe()
    for (const client of sockets.clients) client.terminate()
    sockets.close()
  }
}
