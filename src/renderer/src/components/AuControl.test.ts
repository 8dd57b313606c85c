// @vitest-environment happy-dom
import type { LabelClass, LabelValue } from '@shared/labels'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import AuControl from './AuControl.vue'
import { allByRole, getByRole, isChecked, nameOf, press } from './user-view.test-kit'

const au12: LabelClass = {
  code: 'AU12',
  kind: 'au',
  name: 'Lip Corner Puller',
  description: 'Zygomaticus major pulls the lip corners up.',
  auNumber: 12,
}

/** One AU control in the page, as the label panel shows it. */
function auControl(value: LabelValue | null, probability?: number) {
  return mount(AuControl, { props: { au: au12, value, keys: ['u'], probability }, attachTo: document.body })
}

const radios = (root: Element) => allByRole(getByRole(root, 'radiogroup', 'AU12 Lip Corner Puller'), 'radio')
const checked = (root: Element) => radios(root).filter(isChecked).map(nameOf)

enableAutoUnmount(afterEach)

describe('the AU tri-state control', () => {
  it('is one group named for the AU, with present, absent and unknown, the saved state checked', () => {
    expect(radios(auControl(1).element).map(nameOf)).toEqual(['present', 'absent', 'unknown'])
    expect(checked(auControl(1).element)).toEqual(['present'])
    expect(checked(auControl(0).element)).toEqual(['absent'])
    expect(checked(auControl(null).element)).toEqual(['unknown'])
  })

  it('shows its key (and that Shift with it means unknown) and what the AU is', () => {
    const control = auControl(null)
    expect(control.findAll('kbd').map((k) => [k.text(), k.attributes('title')])).toEqual([
      ['U', 'Key: U (Shift+U: unknown)'],
    ])
    expect(control.text()).toContain('Zygomaticus major pulls the lip corners up.')
  })

  it('asks for the state clicked: present, absent, or unknown (no label)', () => {
    const control = auControl(0)
    for (const state of ['present', 'absent', 'unknown']) getByRole(control.element, 'radio', state).click()
    expect(control.emitted('set')).toEqual([[1], [0], [null]])
  })

  it('is one tab stop on its state, and Up / Down move between the states, around the ends', () => {
    const control = auControl(0)
    const [present, absent, unknown] = radios(control.element)
    expect([present, absent, unknown].map((r) => r.tabIndex)).toEqual([-1, 0, -1])
    absent.focus()
    press(absent, 'ArrowDown')
    expect(document.activeElement).toBe(unknown)
    press(unknown, 'ArrowDown')
    expect(document.activeElement).toBe(present)
    press(present, 'ArrowUp')
    expect(document.activeElement).toBe(unknown)
    expect(control.emitted('set')).toBeUndefined()
  })

  it('leaves Left and Right to the image walk (next and previous image)', () => {
    const control = auControl(1)
    const present = getByRole(control.element, 'radio', 'present')
    present.focus()
    expect(press(present, 'ArrowRight').defaultPrevented).toBe(false)
    expect(document.activeElement).toBe(present)
  })

  it("shows a run's prediction with Accept only when there is one", () => {
    expect(allByRole(auControl(null).element, 'button', /^Accept/)).toEqual([])
    const control = auControl(null, 0.83)
    expect(
      getByRole(control.element, 'meter', 'Prediction for AU12 Lip Corner Puller').getAttribute('aria-valuetext'),
    ).toBe('0.83')
    getByRole(control.element, 'button', 'Accept prediction for AU12 Lip Corner Puller').click()
    expect(control.emitted('accept')).toHaveLength(1)
  })
})

describe('the FACS intensity beside a present AU', () => {
  const withIntensity = (value: LabelValue | null, intensity: number | null) =>
    mount(AuControl, { props: { au: au12, value, keys: ['u'], intensity }, attachTo: document.body })
  const levels = (root: Element) =>
    allByRole(getByRole(root, 'radiogroup', 'AU12 Lip Corner Puller intensity'), 'radio')

  it('offers A-E named in FACS words, the coded level checked, only while the AU is present', () => {
    const control = withIntensity(1, 3)
    expect(levels(control.element).map(nameOf)).toEqual(['A trace', 'B slight', 'C marked', 'D severe', 'E maximum'])
    expect(levels(control.element).filter(isChecked).map(nameOf)).toEqual(['C marked'])
    expect(levels(withIntensity(1, null).element).filter(isChecked)).toEqual([])
    expect(withIntensity(0, null).element.querySelector('[role="radiogroup"][aria-label$="intensity"]')).toBeNull()
    expect(withIntensity(null, null).element.querySelector('[role="radiogroup"][aria-label$="intensity"]')).toBeNull()
  })

  it("asks for the level clicked, and clicking the coded level again takes it back to not coded; a dataset's trace is shown", () => {
    const control = withIntensity(1, 3)
    getByRole(control.element, 'radio', 'E maximum').click()
    getByRole(control.element, 'radio', 'C marked').click()
    expect(control.emitted('intensity')).toEqual([[5], [null]])
    expect(withIntensity(0, 1).text()).toContain('trace A')
  })
})
