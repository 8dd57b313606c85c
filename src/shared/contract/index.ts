import type { z } from 'zod'
import { appMethods } from './app'
import { catalogueMethods } from './catalogue'
import { experimentMethods } from './experiments'
import { coderMethods } from './coders'
import { exportMethods } from './exports'
import { faceMethods } from './faces'
import { demoMethods, importMethods } from './imports'
import { insightMethods } from './insights'
import { labellingMethods } from './labelling'
import { runMethods } from './runs'
import { videoMethods } from './video'
import type { MethodSpec } from './define'

export * from './app'
export * from './catalogue'
export * from './coders'
export * from './events'
export * from './experiments'
export * from './exports'
export * from './faces'
export * from './imports'
export * from './insights'
export * from './label-choice'
export * from './labelling'
export * from './runs'
export * from './shortcuts'
export * from './text'
export * from './video'

/** Every method the UI may call, by name. The router validates `input` before dispatching. */
export const methods = {
  ...appMethods,
  ...catalogueMethods,
  ...importMethods,
  ...demoMethods,
  ...runMethods,
  ...exportMethods,
  ...insightMethods,
  ...labellingMethods,
  ...videoMethods,
  ...experimentMethods,
  ...coderMethods,
  ...faceMethods,
} as const

export type Methods = typeof methods
export type MethodName = keyof Methods
type Spec<M extends MethodName> = Methods[M]
/** What a caller passes (defaults may be omitted). */
export type MethodArgs<M extends MethodName> = Spec<M> extends MethodSpec<infer I, unknown> ? z.input<I> : never
/** What a handler receives (after validation, defaults filled). */
export type MethodInput<M extends MethodName> = Spec<M> extends MethodSpec<infer I, unknown> ? z.output<I> : never
export type MethodResult<M extends MethodName> = Spec<M> extends MethodSpec<z.ZodType, infer O> ? O : never

export const isMethodName = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(methods, name)
