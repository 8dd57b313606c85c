import { defineStore } from 'pinia'
import { reactive } from 'vue'

// A face whose box a coder moved has a new crop and thumbnail under the same media URL, which the
// browser keeps cached for an hour: each such image gets a version (the time of the change) that
// its crop and thumbnail URLs carry from then on.

export const useFaceVersionStore = defineStore('face-versions', () => {
  const versions = reactive(new Map<number, number>())

  /** The version of an image's crop and thumbnail; undefined while this window has not changed them. */
  const of = (imageId: number): number | undefined => versions.get(imageId)

  /** The image's face was cut again: show its new crop and thumbnail. */
  function changed(imageId: number): void {
    versions.set(imageId, Date.now())
  }

  return { versions, of, changed }
})
