import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHeadlessServer, type HeadlessServer } from '../../src/main/server/http-server'
import { rawRequest } from '../helpers/http'
import { testWorkbench } from '../helpers/workbench'

// Request bodies over 16 MB are answered 413 (JSON) before they are read into memory: a declared
// Content-Length at once, a chunked body as soon as it passes the limit; the connection is not
// reset under the client, and the server keeps answering.

const MB = 1024 * 1024
let wb: ReturnType<typeof testWorkbench>
let server: HeadlessServer

beforeAll(async () => {
  wb = testWorkbench()
  const renderer = join(wb.dir, 'renderer')
  mkdirSync(renderer, { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>')
  server = await startHeadlessServer({
    router: wb.router,
    events: wb.ctx.events,
    rendererDir: renderer,
    media: wb.media,
  })
})
afterAll(async () => {
  await server.close()
  wb.cleanup()
})

interface Answer {
  status: number
  body: string
  sentBeforeAnswer: number
}

/**
 * Posts a body of `total` bytes (declared, or chunked when `declare` is false), 1 MB at a time, and
 * stops sending as soon as the server answers: returns the answer and how much had been sent.
 */
function postBig(total: number, declare: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${server.token}`,
      'Content-Type': 'application/json',
    }
    if (declare) headers['Content-Length'] = String(total)
    let sent = 0
    let answered = false
    const req = request(
      { host: '127.0.0.1', port: server.port, path: '/api/labels.edit', method: 'POST', headers },
      (res) => {
        answered = true
        const sentBeforeAnswer = sent
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sentBeforeAnswer })
          req.destroy()
        })
      },
    )
    req.on('error', (e) => (answered ? undefined : reject(e)))
    const chunk = Buffer.alloc(MB, 0x20)
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered) req.end()
    }
    pump()
  })
}

const tooLarge = {
  ok: false,
  error: {
    code: 'too_large',
    message: 'The request body is larger than 16 MB, the most one call accepts: send the work in smaller calls.',
    details: { limit: 16 * MB },
  },
}

describe('request body limit', () => {
  it('answers a declared 300 MB body with 413 before reading it', async () => {
    const answer = await postBig(300 * MB, true)
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toEqual(tooLarge)
    expect(answer.sentBeforeAnswer).toBeLessThan(64 * MB)
  })

  it('answers a chunked body with 413 once it passes 16 MB', async () => {
    const answer = await postBig(300 * MB, false)
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toEqual(tooLarge)
    expect(answer.sentBeforeAnswer).toBeGreaterThan(16 * MB)
    expect(answer.sentBeforeAnswer).toBeLessThan(96 * MB)
  })

  it('four oversized posts at once all get 413, and the server still answers', async () => {
    const answers = await Promise.all([
      postBig(300 * MB, true),
      postBig(300 * MB, false),
      postBig(250 * MB, true),
      postBig(250 * MB, false),
    ])
    expect(answers.map((a) => a.status)).toEqual([413, 413, 413, 413])
    const info = await rawRequest(server.port, '/api/datasets.list', {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(info.status).toBe(200)
  })

  it('accepts a body of exactly 16 MB', async () => {
    const body = '{}' + ' '.repeat(16 * MB - 2)
    const response = await rawRequest(server.port, '/api/datasets.list', {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body,
    })
    expect(response.status).toBe(200)
  })
})
