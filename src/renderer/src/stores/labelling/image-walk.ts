import type { ImageDetail } from '@shared/contract'
import { computed, ref, type Ref } from 'vue'
import { call } from '../../api'
import type { useBrowseStore } from '../browse'
import type { useCatalogueStore } from '../catalogue'
import type { LoadedImages } from './loaded-images'
import type { Say } from './save-status'

// The image shown in the label view and where it sits in the catalogue walk: open one, next and
// previous. A later navigation wins over an earlier one still loading.

const NONE: string[] = []

interface WalkNeeds {
  images: LoadedImages
  browse: ReturnType<typeof useBrowseStore>
  catalogue: ReturnType<typeof useCatalogueStore>
  say: Say
}

/** The shown image's parts, from what is loaded. */
function useShownImage(imageId: Ref<number | null>, images: LoadedImages) {
  const detail = computed<ImageDetail | null>(() =>
    imageId.value === null ? null : (images.details.get(imageId.value) ?? null),
  )
  const predictions = computed(() =>
    imageId.value === null ? null : (images.predictionsById.get(imageId.value) ?? null),
  )
  // Parts of the image that an edit does not change keep their identity, so that a label edit
  // redraws the changed control only (keypress to saved stays within a frame).
  const labelSpace = computed(() => detail.value?.labelSpace ?? NONE)
  const history = computed(() => detail.value?.history ?? [])
  const reviewStatus = computed(() => detail.value?.reviewStatus ?? null)
  return { detail, predictions, labelSpace, history, reviewStatus }
}

export function useImageWalk({ images, browse, catalogue, say }: WalkNeeds) {
  const imageId = ref<number | null>(null)
  /** Where the image sits in the catalogue walk (null when the filter leaves it out). */
  const index = ref<number | null>(null)
  const loadError = ref<string | null>(null)
  const wanted: WantedIndex = { index: null }
  let navigation = 0

  /** Shows one image; without an index, asks main where it sits in the catalogue walk. */
  async function open(id: number, at?: number | null): Promise<void> {
    const token = ++navigation
    loadError.value = null
    try {
      await Promise.all([catalogue.ensureLoaded(), images.loadDetail(id), images.loadPredictions(id)])
      if (at === undefined) at = (await call('images.position', { ...browse.query, id })).index
    } catch (e) {
      if (token === navigation) loadError.value = (e as Error).message
      return
    }
    if (token !== navigation) return
    imageId.value = id
    index.value = at ?? null
    wanted.index = index.value
    if (index.value !== null) {
      browse.anchorIndex = index.value
      void images.prefetch(index.value + 1)
    }
  }

  /** No image shown. */
  function forget(): void {
    imageId.value = null
    index.value = null
    wanted.index = null
  }

  const step = useStep({ index, wanted, open, browse, say })
  return { imageId, index, loadError, ...useShownImage(imageId, images), open, step, forget }
}

/** The index asked for last: a held key walks on from there before the image at it shows. */
interface WantedIndex {
  index: number | null
}

interface StepNeeds extends Pick<WalkNeeds, 'browse' | 'say'> {
  index: Ref<number | null>
  wanted: WantedIndex
  open: (id: number, at: number) => Promise<void>
}

function useStep({ index, wanted, open, browse, say }: StepNeeds) {
  /** Next (+1) or previous (-1) image of the catalogue walk. */
  return async function step(delta: 1 | -1): Promise<void> {
    const from = wanted.index ?? index.value
    if (from === null)
      return say('info', 'This image is not in the filtered catalogue: go back to the catalogue to choose one.')
    const target = from + delta
    const total = browse.total ?? (await browse.idAt(0), browse.total ?? 0)
    if (target < 0 || target >= total)
      return say('info', delta > 0 ? 'This is the last image of the catalogue walk.' : 'This is the first image.')
    wanted.index = target
    const id = await browse.idAt(target)
    if (id !== null && wanted.index === target) await open(id, target)
  }
}

export type ImageWalk = ReturnType<typeof useImageWalk>
