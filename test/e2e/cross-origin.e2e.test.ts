import Database from 'better-sqlite3'
import { createServer as createHttpServer, type Server } from 'node:http'
import { connect, createServer as createTcpServer, type Server as TcpServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Workspace } from '../../src/main/workspace/workspace'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { writePng } from '../helpers/images'
import { tempDir } from '../helpers/workbench'
import { callApi, openBrowser, startServe, type Browser, type ServeProcess } from './harness'

// In real Chromium: after the workbench was opened once (its cookie set), a page served from
// another 127.0.0.1 port (the same "site" for cookies) must not write a label with a no-cors
// text/plain fetch, nor open the event socket. Through an SSH-like tunnel (another local port,
// Host localhost:PORT) the workbench itself still works: API, events, images.

const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral', 'contempt']

let serve: ServeProcess
let browser: Browser
let workspace: string
let attacker: Server
let tunnel: TcpServer

const listen = (server: Server | TcpServer): Promise<number> =>
  new Promise((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as { port: number }).port)))

/** The other page: writes a label and listens to the events, the way the issue found it could. */
const attackerPage = (port: number): string => `<!doctype html><title>Another page</title><script>
  window.results = {}
  fetch('http://127.0.0.1:${port}/api/labels.edit', {
    method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify({ changes: [{ imageId: 1, code: 'happy', value: 1 }], who: 'intruder' }),
  }).then(() => (results.fetch = 'sent'), (e) => (results.fetch = 'failed: ' + e.message))
  const socket = new WebSocket('ws://127.0.0.1:${port}/events')
  socket.onopen = () => (results.socket = 'open')
  socket.onclose = () => (results.socket = results.socket || 'refused')
</script>`

const happyLabels = (): unknown => {
  const db = new Database(join(workspace, 'catalogue.sqlite'), { readonly: true })
  try {
    return db
      .prepare("SELECT count(*) AS n FROM labels l JOIN classes c ON c.id = l.class_id WHERE c.code = 'happy'")
      .get()
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  workspace = join(tempDir(), 'ws')
  const ws = Workspace.create(workspace)
  const root = join(workspace, '..', 'data')
  seedCatalogue(ws.db, [{ name: 'faces', classCodes: EMOTIONS, images: [{ path: 'a.png' }, { path: 'b.png' }] }], root)
  ws.close()
  await writePng(join(root, 'faces', 'a.png'), 1, 48)
  await writePng(join(root, 'faces', 'b.png'), 2, 48)
  serve = await startServe(['--workspace', workspace])
  await callApi(serve, 'app.setAnnotator', { annotator: 'Ana Coder' })
  attacker = createHttpServer((_, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(attackerPage(serve.port)),
  )
  // `ssh -L TUNNEL:127.0.0.1:PORT`: bytes forwarded as they are; the browser sends Host localhost:TUNNEL.
  tunnel = createTcpServer((socket) => {
    const upstream = connect(serve.port, '127.0.0.1')
    socket.pipe(upstream).pipe(socket)
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
  })
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
  attacker?.close()
  tunnel?.close()
  await serve?.stop()
})

describe('another page on 127.0.0.1 (Chromium)', () => {
  it('cannot write a label nor open the event socket, even with the workbench cookie set', async () => {
    const { page } = browser
    await page.goto(serve.url)
    await page.getByRole('navigation').first().waitFor()
    const cookies = await browser.context.cookies(`http://127.0.0.1:${serve.port}`)
    expect(cookies.filter((c) => c.name.startsWith('affect_token'))).toHaveLength(1)

    const other = await browser.context.newPage()
    await other.goto(`http://127.0.0.1:${await listen(attacker)}/`)
    await other.waitForFunction('window.results.fetch !== undefined && window.results.socket !== undefined')
    expect(await other.evaluate('window.results')).toEqual({ fetch: 'sent', socket: 'refused' })
    await other.close()
    expect(happyLabels()).toEqual({ n: 0 })
    expect((await callApi(serve, 'images.get', { id: 1 })).history).toEqual([])
  })
})

describe('through an SSH tunnel (Host localhost:<other port>)', () => {
  it('the workbench loads, shows images, saves a label and receives its events', async () => {
    const port = await listen(tunnel)
    const { page } = browser
    const sockets: string[] = []
    const frames: string[] = []
    page.on('websocket', (ws) => {
      sockets.push(ws.url())
      ws.on('framereceived', (frame) => frames.push(String(frame.payload)))
    })
    await page.goto(`http://localhost:${port}/?token=${serve.token}#/label?image=2`)
    await expect.poll(() => page.locator('figcaption').textContent()).toContain('b.png')
    await expect
      .poll(() =>
        page
          .getByRole('img', { name: 'Image b.png of faces' })
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(48)
    await expect.poll(() => sockets.some((url) => url.startsWith(`ws://localhost:${port}/events`))).toBe(true)
    await page.getByRole('radio', { name: 'Emotion: sad' }).click()
    await expect
      .poll(() => page.getByRole('status', { name: 'Save status' }).textContent())
      .toContain('Saved: emotion sad')
    expect((await callApi(serve, 'images.get', { id: 2 })).labels.sad).toBe(1)
    await expect.poll(() => frames.some((f) => f.includes('"labels.changed"'))).toBe(true)
  })
})
