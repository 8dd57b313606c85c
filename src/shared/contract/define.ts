import type { z } from 'zod'

// A method of the contract: a runtime schema for its arguments (validated by the router in main)
// and a compile-time type for its result (produced by our own services, so not re-validated).
export interface MethodSpec<I extends z.ZodType, O> {
  input: I
  /** One line for documentation and `affect --help`-style listings. */
  doc: string
  /** Phantom: carries the result type. */
  readonly _output?: O
}

export const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): MethodSpec<I, O> => ({ input, doc })
