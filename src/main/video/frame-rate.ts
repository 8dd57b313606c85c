// A catalogue may number a video's frames at another rate than the video's own (--fps 5 on a 25 fps
// video): its frame n is then the video's frame nearest to time (n - 1) / fps. One rule for the
// import and for every later seek, so that frame n is always the same picture.

/** The video's own frame (from 1) that catalogue frame `frame` at `fps` is. */
export const nativeFrameOf = (frame: number, fps: number, nativeFps: number): number =>
  Math.round(((frame - 1) * nativeFps) / fps) + 1

/** The catalogue frame a native frame is, or undefined when the catalogue's rate skips it. */
export function catalogueFrameOf(native: number, fps: number, nativeFps: number): number | undefined {
  const frame = Math.round(((native - 1) * fps) / nativeFps) + 1
  return nativeFrameOf(frame, fps, nativeFps) === native ? frame : undefined
}
