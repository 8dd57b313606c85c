import type { MethodArgs, MethodName, MethodResult } from '../../shared/contract'
import type { ErrorData } from '../../shared/errors'
import type { Workbench } from '../app/assemble'

/** An error already explained to the user; the CLI exits with its code and no stack trace. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message)
  }
}

export function describeError(error: ErrorData): string {
  const issues = (error.details?.issues as { field: string; message: string }[] | undefined) ?? []
  return issues.length > 1
    ? `${error.message}\n${issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`
    : error.message
}

/** Calls a contract method through the router, as the UI does; a refused call becomes a CliExit. */
export async function call<M extends MethodName>(
  wb: Workbench,
  method: M,
  args: MethodArgs<M>,
): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new CliExit(1, describeError(result.error))
  return result.value as MethodResult<M>
}

export const printJson = (value: unknown): void => {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}
