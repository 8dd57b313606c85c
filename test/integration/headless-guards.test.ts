import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHeadlessServer, type HeadlessServer } from '../../src/main/server/http-server'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { rawRequest } from '../helpers/http'
import { testWorkbench } from '../helpers/workbench'

// Who may write through the headless server: only the workbench's own page. Another page on this
// machine (another 127.0.0.1 port is the same "site" for cookies) must not write a label or open
// the event socket, whatever it sends; a DNS-rebound name is refused; an SSH tunnel to another
// local port works. (In real Chromium: test/e2e/cross-origin.e2e.test.ts.)

let wb: ReturnType<typeof testWorkbench>
let server: HeadlessServer
let cookie: string

const edit = JSON.stringify({ changes: [{ imageId: 1, code: 'happy', value: 1 }], who: 'intruder' })
const happyLabels = () =>
  wb.ctx
    .requireWorkspace()
    .db.prepare("SELECT count(*) AS n FROM labels l JOIN classes c ON c.id = l.class_id WHERE c.code = 'happy'")
    .get()

beforeAll(async () => {
  wb = testWorkbench()
  seedCatalogue(wb.ctx.requireWorkspace().db, [{ name: 'faces', classCodes: ['happy'], images: [{ path: 'a.png' }] }])
  const renderer = join(wb.dir, 'renderer')
  mkdirSync(renderer, { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Affect Workbench</title>')
  server = await startHeadlessServer({
    router: wb.router,
    events: wb.ctx.events,
    rendererDir: renderer,
    media: wb.media,
  })
  // The browser opened the workbench once: it holds the cookie.
  const page = await rawRequest(server.port, `/?token=${server.token}`)
  cookie = String(page.headers['set-cookie']).split(';')[0]
})
afterAll(async () => {
  await server.close()
  wb.cleanup()
})

const own = () => `127.0.0.1:${server.port}`

describe('another page cannot write', () => {
  it('refuses what a no-cors fetch can send: text/plain with the cookie, from another origin', async () => {
    const attempts: Record<string, string>[] = [
      { Cookie: cookie, 'Content-Type': 'text/plain', Origin: 'http://127.0.0.1:4399', 'Sec-Fetch-Site': 'same-site' },
      { Cookie: cookie, 'Content-Type': 'text/plain' },
      { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      { Cookie: cookie, 'Content-Type': 'application/json' },
    ]
    for (const headers of attempts) {
      const response = await rawRequest(server.port, '/api/labels.edit', { method: 'POST', headers, body: edit })
      expect(response.status, JSON.stringify(headers)).toBe(401)
      expect(JSON.parse(response.body).error.code).toBe('unauthorized')
    }
    expect(happyLabels()).toEqual({ n: 0 })
  })

  it('with the token, still only application/json from its own origin', async () => {
    const auth = { Authorization: `Bearer ${server.token}` }
    const plain = await rawRequest(server.port, '/api/labels.edit', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: edit,
    })
    expect(plain.status).toBe(415)
    expect(JSON.parse(plain.body).error).toEqual({
      code: 'invalid_arguments',
      message: 'API calls must send Content-Type: application/json, not text/plain.',
      details: { field: 'Content-Type' },
    })
    for (const origin of ['http://127.0.0.1:4399', 'http://evil.example', 'null', `http://localhost:${server.port}`]) {
      const response = await rawRequest(server.port, '/api/labels.edit', {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', Origin: origin },
        body: edit,
      })
      expect(response.status, origin).toBe(403)
      expect(JSON.parse(response.body).error.message).toBe(
        `Requests from another page (Origin ${origin}) are refused: open the workbench at http://${own()}.`,
      )
    }
    const sameSite = await rawRequest(server.port, '/api/labels.edit', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'same-site' },
      body: edit,
    })
    expect(sameSite.status).toBe(403)
    expect(happyLabels()).toEqual({ n: 0 })
    const mine = await rawRequest(server.port, '/api/labels.edit', {
      method: 'POST',
      headers: {
        ...auth,
        'Content-Type': 'application/json; charset=utf-8',
        Origin: `http://${own()}`,
        'Sec-Fetch-Site': 'same-origin',
      },
      body: edit,
    })
    expect(mine.status).toBe(200)
    expect(happyLabels()).toEqual({ n: 1 })
  })

  it('another page cannot show our images either', async () => {
    const media = await rawRequest(server.port, '/media/full/1', {
      headers: { Cookie: cookie, 'Sec-Fetch-Site': 'same-site' },
    })
    expect(media.status).toBe(403)
  })
})

const openSocket = (path: string, options: { host?: string; origin?: string; cookie?: string } = {}): Promise<string> =>
  new Promise((done) => {
    const headers: Record<string, string> = {}
    if (options.host) headers.Host = options.host
    if (options.cookie) headers.Cookie = options.cookie
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers, origin: options.origin })
    socket.on('open', () => {
      socket.close()
      done('open')
    })
    socket.on('unexpected-response', (_, response) => done(String(response.statusCode)))
    socket.on('error', (e) => done(e.message))
  })

describe('the event socket', () => {
  it('opens only with the token in its URL, from our own origin, on a loopback name', async () => {
    expect(await openSocket('/events', { cookie, origin: 'http://127.0.0.1:4399' })).toBe('401')
    expect(await openSocket('/events', { cookie })).toBe('401')
    expect(await openSocket(`/events?token=${server.token}`, { origin: 'http://127.0.0.1:4399' })).toBe('403')
    expect(await openSocket(`/events?token=${server.token}`, { host: `evil.example:${server.port}` })).toBe('403')
    expect(await openSocket(`/events?token=${server.token}`, { origin: `http://${own()}` })).toBe('open')
    expect(
      await openSocket(`/events?token=${server.token}`, { host: 'localhost:8080', origin: 'http://localhost:8080' }),
    ).toBe('open')
  })
})

describe('host names', () => {
  it('answers any port of 127.0.0.1, localhost and [::1] (SSH tunnels) and refuses other names (DNS rebinding)', async () => {
    for (const host of [own(), 'localhost:8080', 'LOCALHOST:8080', '[::1]:4173', '127.0.0.1', 'localhost']) {
      expect((await rawRequest(server.port, `/?token=${server.token}`, { headers: { Host: host } })).status, host).toBe(
        200,
      )
    }
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1.nip.io:${server.port}`,
      'localhost.evil.example:8080',
      '127.0.0.2:8080',
      'localhost:99999',
    ]) {
      expect((await rawRequest(server.port, `/?token=${server.token}`, { headers: { Host: host } })).status, host).toBe(
        403,
      )
    }
  })

  it('through a tunnel, the page calls the API and its CSP lets it reach the event socket', async () => {
    const tunnel = { Host: 'localhost:8080' }
    const page = await rawRequest(server.port, `/?token=${server.token}`, { headers: tunnel })
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' ws://localhost:8080;")
    const call = await rawRequest(server.port, '/api/datasets.list', {
      method: 'POST',
      headers: {
        ...tunnel,
        Origin: 'http://localhost:8080',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${server.token}`,
      },
      body: '{}',
    })
    expect(call.status).toBe(200)
  })
})
