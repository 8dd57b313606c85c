import type { VideoFrameSource } from '../../shared/face-finder-protocol'
import { DecodeError, decodeFrames, type DecodedFrame } from '../video/decode-frames'
import { PhotoProblemError, type Pixels } from './photo-pixels'

// Video frames at full size for the face finder, decoded in its own process: one ffmpeg pass per
// run of frames of a video given in order (an import hands them over that way), a new pass from a
// seek point only for another video, a step back, or a jump of more than a few seconds.

/** A jump forward longer than this many seconds seeks instead of decoding the frames between. */
const SEEK_AFTER_SECONDS = 5

interface Pass {
  file: string
  frames: AsyncGenerator<DecodedFrame>
  /** The last frame read (the video's own numbering, from 1). */
  at: number
}

export class VideoFrameReader {
  private pass: Pass | undefined

  /** The frame's RGB pixels at the video's size; a frame that cannot be decoded is a PhotoProblemError naming it. */
  async frame(source: VideoFrameSource): Promise<Pixels> {
    const pass = await this.passFor(source)
    for (;;) {
      let next: IteratorResult<DecodedFrame>
      try {
        next = await pass.frames.next()
      } catch (error) {
        this.pass = undefined
        if (!(error instanceof DecodeError)) throw error
        throw new PhotoProblemError('unreadable', `${source.name}: the video cannot be decoded (${error.message})`)
      }
      if (next.done) {
        this.pass = undefined
        throw new PhotoProblemError('unreadable', `${source.name}: the video ends before frame ${source.frame}`)
      }
      pass.at = next.value.frame
      if (pass.at === source.frame)
        return { data: new Uint8Array(next.value.rgb), width: source.width, height: source.height }
    }
  }

  private async passFor(source: VideoFrameSource): Promise<Pass> {
    const pass = this.pass
    const ahead = pass && pass.file === source.video ? source.frame - pass.at : -1
    if (pass && ahead >= 1 && ahead <= SEEK_AFTER_SECONDS * source.nativeFps) return pass
    await this.close()
    const frames = decodeFrames({
      file: source.video,
      size: { width: source.width, height: source.height },
      nativeFps: source.nativeFps,
      from: source.frame,
    })
    this.pass = { file: source.video, frames, at: source.frame - 1 }
    return this.pass
  }

  /** Ends the ffmpeg pass in hand. */
  async close(): Promise<void> {
    const pass = this.pass
    this.pass = undefined
    await pass?.frames.return(undefined)
  }
}
