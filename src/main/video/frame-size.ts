// The size a frame is decoded at to fit a box, keeping the video's proportions; even numbers,
// which every pixel format ffmpeg may convert through accepts.

export interface Size {
  width: number
  height: number
}

export function fitInside(video: Size, box: number): Size {
  const scale = Math.min(1, box / Math.max(video.width, video.height))
  const even = (n: number) => Math.max(2, 2 * Math.round((n * scale) / 2))
  return { width: even(video.width), height: even(video.height) }
}
