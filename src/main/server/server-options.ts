import type { EventBus } from '../app/event-bus'
import type { Router } from '../app/router'
import type { Media, MediaKind } from '../catalogue/media'
import type { LabAuth } from './callers'
import type { Download } from './downloads'

export interface HeadlessOptions {
  router: Router
  events: EventBus
  /** The renderer build (out/renderer). Nothing outside it is served. */
  rendererDir: string
  /** Image bytes by id, for <img> tags that cannot send headers. */
  media: (id: number, kind: MediaKind) => Promise<Media>
  token?: string
  /** Largest request body accepted (bytes); 16 MB by default. */
  maxBody?: number
  /** A workspace export by its opaque id (exports.create), for GET /download/<id>[/sidecar]; null when there is none. */
  download?: (id: string, part: 'csv' | 'sidecar') => Download | null
  /** Lab mode (`affect serve --lab`): the token is the admin's link, and each coder has a link of their own. */
  lab?: LabAuth
}

export interface HeadlessServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}
