// @vitest-environment happy-dom
import { mount } from '@vue/test-utils'
import type { ExperimentProtocolInput } from '@shared/contract'
import { DEFAULT_LANDMARK_WEIGHT } from '@shared/run-config'
import { describe, expect, it } from 'vitest'
import { allByRole, getByRole } from './user-view.test-kit'
import ExperimentForm from './ExperimentForm.vue'

const typeInto = (input: HTMLElement, text: string): void => {
  ;(input as HTMLInputElement).value = text
  input.dispatchEvent(new Event('input'))
}

const WEIGHT = /^Landmark weight/

describe('New experiment form: the landmark weight', () => {
  it('asks for it only with SJMT + facial landmarks, checks it, and sends it with the protocol', async () => {
    const form = mount(ExperimentForm, { props: { pending: false }, attachTo: document.body })
    const root = form.element as HTMLElement
    expect(allByRole(root, 'spinbutton', WEIGHT)).toHaveLength(0)

    getByRole(root, 'checkbox', 'SJMT + facial landmarks (future work)').click()
    await form.vm.$nextTick()
    const weight = getByRole(root, 'spinbutton', 'Landmark weight (SJMT + facial landmarks)')
    expect((weight as HTMLInputElement).value).toBe(String(DEFAULT_LANDMARK_WEIGHT))

    typeInto(weight, '0')
    await form.vm.$nextTick()
    expect(getByRole(root, 'alert').textContent).toBe('Landmark weight: give a number above 0 and at most 1000.')
    expect((getByRole(root, 'button', 'Start experiment') as HTMLButtonElement).disabled).toBe(true)

    typeInto(weight, '2.5')
    await form.vm.$nextTick()
    getByRole(root, 'button', 'Start experiment').click()
    await form.vm.$nextTick()
    const [[protocol]] = form.emitted('start') as [ExperimentProtocolInput][]
    expect(protocol.methods).toContain('sjmt+landmarks')
    expect(protocol.landmarkWeight).toBe(2.5)
    form.unmount()
  })

  it('sends no landmark weight without the landmark runs (the contract would refuse one)', async () => {
    const form = mount(ExperimentForm, { props: { pending: false }, attachTo: document.body })
    getByRole(form.element as HTMLElement, 'button', 'Start experiment').click()
    await form.vm.$nextTick()
    const [[protocol]] = form.emitted('start') as [ExperimentProtocolInput][]
    expect(protocol).not.toHaveProperty('landmarkWeight')
    form.unmount()
  })
})

describe("New experiment form: Table 4's compound faces per class", () => {
  it('asks for it only with Table 4, 15 by default as the paper, checks it, and sends it with the protocol', async () => {
    const form = mount(ExperimentForm, { props: { pending: false }, attachTo: document.body })
    const root = form.element as HTMLElement
    const PER_CLASS = 'Compound training faces per class (Table 4)'
    expect(allByRole(root, 'spinbutton', /^Compound training faces/)).toHaveLength(0)

    getByRole(root, 'checkbox', 'Compound emotions from few examples (Table 4)').click()
    await form.vm.$nextTick()
    const perClass = getByRole(root, 'spinbutton', PER_CLASS)
    expect((perClass as HTMLInputElement).value).toBe('15')

    for (const bad of ['0', '2.5']) {
      typeInto(perClass, bad)
      await form.vm.$nextTick()
      expect(getByRole(root, 'alert').textContent).toBe('Compound faces per class: give a whole number of 1 or more.')
    }
    typeInto(perClass, '8')
    await form.vm.$nextTick()
    getByRole(root, 'button', 'Start experiment').click()
    await form.vm.$nextTick()
    const [[protocol]] = form.emitted('start') as [ExperimentProtocolInput][]
    expect(protocol).toMatchObject({ compound: true, compoundPerClass: 8 })
    form.unmount()
  })
})
