import { protocol } from 'electron'
import { MEDIA_SCHEME } from '../../shared/bridge'
import type { Workbench } from '../app/assemble'
import { MEDIA_KINDS, type MediaKind } from '../catalogue/media'

/** Must run before the app is ready: lets the renderer's <img> load affect-media:// URLs. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves images by id from the catalogue: affect-media://thumb/123, affect-media://full/123, affect-media://crop/123 or affect-media://proxy/123. */
export function handleMediaProtocol(wb: Workbench): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url)
    const id = Number(url.pathname.replace(/^\//, ''))
    const kind = MEDIA_KINDS.find((k) => k === url.host)
    if (!kind || !Number.isInteger(id)) return new Response('Not found', { status: 404 })
    try {
      const media = await wb.media(id, kind satisfies MediaKind)
      const headers: Record<string, string> = { 'Content-Type': media.mime }
      if (media.temporary) headers['Cache-Control'] = 'no-store'
      return new Response(new Uint8Array(media.bytes), { headers })
    } catch (e) {
      return new Response((e as Error).message, { status: 404 })
    }
  })
}
