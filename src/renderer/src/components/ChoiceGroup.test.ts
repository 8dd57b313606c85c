// @vitest-environment happy-dom
import type { LabelClass, LabelValue } from '@shared/labels'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import ChoiceGroup from './ChoiceGroup.vue'
import { allByRole, getByRole, isChecked, nameOf, press } from './user-view.test-kit'

const emotion = (code: string, name: string): LabelClass => ({
  code,
  kind: 'emotion',
  name,
  description: `${name} face`,
})
const emotions = [emotion('happy', 'Happy'), emotion('sad', 'Sad'), emotion('contempt', 'Contempt')]

/** The emotion group of the label panel: happy and sad in the dataset's label space, contempt outside it. */
function emotionGroup(labels: Record<string, LabelValue>, probabilities?: Record<string, number>) {
  return mount(ChoiceGroup, {
    props: {
      title: 'Emotion',
      prefix: 'Emotion',
      choices: emotions,
      inSpace: new Set(['happy', 'sad']),
      labels,
      probabilities,
      keys: { happy: ['4'], sad: ['5'], unknown: ['0'] },
    },
    attachTo: document.body,
  })
}

const radios = (root: Element) => allByRole(getByRole(root, 'radiogroup', 'Emotion'), 'radio')
const checked = (root: Element) => radios(root).filter(isChecked).map(nameOf)

enableAutoUnmount(afterEach)

describe('the emotion choice group', () => {
  it('names each choice "Emotion: <name>", with unknown last', () => {
    expect(radios(emotionGroup({}).element).map(nameOf)).toEqual([
      'Emotion: happy',
      'Emotion: sad',
      'Emotion: contempt',
      'Emotion: unknown',
    ])
  })

  it('checks the one emotion chosen, or unknown when no emotion label is known', () => {
    expect(checked(emotionGroup({ happy: 0, sad: 1 }).element)).toEqual(['Emotion: sad'])
    const none = emotionGroup({})
    expect(checked(none.element)).toEqual(['Emotion: unknown'])
    expect(none.get('header').text()).toContain('unknown')
  })

  it('tells "all known absent" apart from unknown, and marks each choice present, absent or unknown', () => {
    const group = emotionGroup({ happy: 0, sad: 0 })
    expect(checked(group.element)).toEqual([])
    expect(group.get('header').text()).toContain('all known absent')
    const marks = radios(group.element)
      .slice(0, 3)
      .map((r) => r.querySelector('[title]')?.getAttribute('title'))
    expect(marks).toEqual(['known absent', 'known absent', 'unknown'])
  })

  it('asks for the emotion clicked, or for unknown (null)', () => {
    const group = emotionGroup({ happy: 1 })
    getByRole(group.element, 'radio', 'Emotion: sad').click()
    getByRole(group.element, 'radio', 'Emotion: unknown').click()
    expect(group.emitted('choose')).toEqual([['sad'], [null]])
  })

  it('shows each choice key', () => {
    const keysOf = (name: string) =>
      [...getByRole(emotionGroup({}).element, 'radio', name).querySelectorAll('kbd')].map((k) => k.textContent)
    expect(keysOf('Emotion: happy')).toEqual(['4'])
    expect(keysOf('Emotion: unknown')).toEqual(['0'])
    expect(keysOf('Emotion: contempt')).toEqual([])
  })

  it('is one tab stop on the choice made, and Up / Down move through the choices and unknown, around the ends', () => {
    const group = emotionGroup({ sad: 1 })
    const [happy, sad, contempt, unknown] = radios(group.element)
    expect([happy, sad, contempt, unknown].map((r) => r.tabIndex)).toEqual([-1, 0, -1, -1])
    sad.focus()
    expect(press(sad, 'ArrowDown').defaultPrevented).toBe(true)
    expect(document.activeElement).toBe(contempt)
    press(contempt, 'ArrowDown')
    expect(document.activeElement).toBe(unknown)
    press(unknown, 'ArrowDown')
    expect(document.activeElement).toBe(happy)
    press(happy, 'ArrowUp')
    expect(document.activeElement).toBe(unknown)
    expect(press(unknown, 'ArrowLeft').defaultPrevented).toBe(false)
    expect(group.emitted('choose')).toBeUndefined()
  })

  it("offers the run's most likely emotion to accept, with each choice's probability", () => {
    expect(allByRole(emotionGroup({}).element, 'button', /^Accept/)).toEqual([])
    const group = emotionGroup({}, { happy: 0.2, sad: 0.7, contempt: 0.1 })
    expect(getByRole(group.element, 'meter', 'Prediction for Emotion sad').getAttribute('aria-valuetext')).toBe('0.70')
    const accept = getByRole(group.element, 'button', 'Accept predicted emotion (sad)')
    expect(accept.textContent?.trim()).toBe('Accept sad')
    accept.click()
    expect(group.emitted('accept')).toHaveLength(1)
  })
})
