import type { MethodArgs, MethodName, MethodResult } from '../../src/shared/contract'
import type { Workbench } from '../../src/main/app/assemble'

/** Calls a contract method through the router as a UI would; a refused call throws with its code and message. */
export async function callOk<M extends MethodName>(
  wb: Workbench,
  method: M,
  args: MethodArgs<M>,
): Promise<MethodResult<M>> {
  const result = await wb.router.call(method, args)
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value as MethodResult<M>
}
