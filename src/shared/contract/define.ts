import type { z } from 'zod'

// A method of the contract: a runtime schema for its arguments (validated by the router in main)
// and a compile-time type for its result (produced by our own services, so not re-validated).
export interface MethodSpec<I extends z.ZodType, O> {
  input: I
  /** One line for documentation and `affect --help`-style listings. */
  doc: string
  /**
   * Who may call it on a lab server (`affect serve --lab`): 'coder' lets every coder with a link
   * call it; the rest need the admin's link. The desktop app and the CLI have one user, who may call all.
   */
  access?: 'coder'
  /** Phantom: carries the result type. */
  readonly _output?: O
}

export const method =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string, access?: 'coder'): MethodSpec<I, O> =>
    access ? { input, doc, access } : { input, doc }
