import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportResult } from '../../src/shared/contract'
import { findDownload } from '../../src/main/export/exports-service'
import { thumbnailPath } from '../../src/main/catalogue/media'
import { startHeadlessServer, type HeadlessServer } from '../../src/main/server/http-server'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { rawRequest } from '../helpers/http'
import { writePng } from '../helpers/images'
import { testWorkbench } from '../helpers/workbench'

// Files served by id (exports, images, thumbnails, the renderer build) replaced by a link to a file
// elsewhere (/etc/passwd) are not served: only regular files inside their own folder go out.

let wb: ReturnType<typeof testWorkbench>
let server: HeadlessServer
let secret: string
let dataRoot: string

const auth = () => ({ Authorization: `Bearer ${server.token}` })
const get = (path: string) => rawRequest(server.port, path, { headers: auth() })

async function createExport(): Promise<ExportResult> {
  const response = await rawRequest(server.port, '/api/exports.create', {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'labels' }),
  })
  return JSON.parse(response.body).value as ExportResult
}

beforeAll(async () => {
  wb = testWorkbench()
  secret = join(wb.dir, 'secret.txt')
  writeFileSync(secret, 'root:x:0:0:SECRET')
  dataRoot = join(wb.dir, 'data')
  seedCatalogue(
    wb.ctx.requireWorkspace().db,
    [{ name: 'faces', classCodes: ['happy'], images: [{ path: 'a.png' }, { path: 'b.png' }, { path: 'c.png' }] }],
    dataRoot,
  )
  for (const [n, name] of ['a.png', 'b.png', 'c.png'].entries()) await writePng(join(dataRoot, 'faces', name), n)
  const renderer = join(wb.dir, 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Affect Workbench</title>')
  symlinkSync(secret, join(renderer, 'assets', 'leak.js'))
  server = await startHeadlessServer({
    router: wb.router,
    events: wb.ctx.events,
    rendererDir: renderer,
    media: wb.media,
    download: (id, part) => findDownload(wb.ctx.requireWorkspace(), id, part),
  })
})
afterAll(async () => {
  await server.close()
  wb.cleanup()
})

describe('links are not followed out of their folder', () => {
  it('an export file replaced by a link is not downloaded', async () => {
    const created = await createExport()
    expect((await get(`/download/${created.id}`)).status).toBe(200)
    unlinkSync(created.file)
    symlinkSync(secret, created.file)
    for (const method of ['GET', 'HEAD']) {
      const response = await rawRequest(server.port, `/download/${created.id}`, { method, headers: auth() })
      expect(response.status, method).toBe(404)
      expect(response.body).not.toContain('SECRET')
      expect(response.headers['content-length']).not.toBe(String(readFileSync(secret).length))
    }
  })

  it('an export folder replaced by a link to another folder is not downloaded from', async () => {
    const created = await createExport()
    const elsewhere = join(wb.dir, 'elsewhere')
    renameSync(dirname(created.file), elsewhere)
    writeFileSync(join(elsewhere, created.fileName), 'root:x:0:0:SECRET')
    symlinkSync(elsewhere, dirname(created.file))
    const response = await get(`/download/${created.id}`)
    expect(response.status).toBe(404)
    expect(response.body).not.toContain('SECRET')
  })

  it('an image replaced by a link is not shown, neither full nor as a new thumbnail', async () => {
    expect((await get('/media/full/1')).status).toBe(200)
    const file = join(dataRoot, 'faces', 'b.png')
    unlinkSync(file)
    symlinkSync(secret, file)
    for (const kind of ['full', 'thumb']) {
      const response = await get(`/media/${kind}/2`)
      expect(response.status, kind).toBe(404)
      expect(response.body).not.toContain('SECRET')
    }
    expect((await get('/media/full/2')).body).toBe(
      `The file of image 2 leads outside its dataset folder ${dataRoot}/faces (a link?), so it is not shown: ${file}.`,
    )
  })

  it('a cached thumbnail replaced by a link is drawn again instead of served', async () => {
    // A picture larger than a thumbnail: smaller ones are shown as themselves and have none.
    await writePng(join(dataRoot, 'faces', 'c.png'), 2, 200)
    wb.ctx.requireWorkspace().db.prepare('UPDATE images SET width = 200, height = 200 WHERE id = 3').run()
    const first = await get('/media/thumb/3')
    expect(first.status).toBe(200)
    const sha = wb.ctx.requireWorkspace().db.prepare('SELECT sha256 FROM images WHERE id = 3').get() as {
      sha256: string
    }
    const cached = thumbnailPath(wb.ctx.requireWorkspace().thumbnailsDir, sha.sha256)
    rmSync(cached)
    symlinkSync(secret, cached)
    const again = await get('/media/thumb/3')
    expect(again.status).toBe(200)
    expect(again.headers['content-type']).toBe('image/webp')
    expect(again.body).not.toContain('SECRET')
  })

  it('a file of the renderer build that links out is not served', async () => {
    const response = await get('/assets/leak.js')
    expect(response.status).toBe(404)
    expect(response.body).not.toContain('SECRET')
  })
})
