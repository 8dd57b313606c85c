import * as tf from '@tensorflow/tfjs'

/*
 * The momentum-SGD update of one variable as one kernel a backend may provide (wasm does:
 * backend/kernels/momentum.ts): inputs w, v, g; outputs [w', v'] with v' = momentum * v + g and
 * w' = w - learningRate * v'. momentum-sgd.ts uses it when the active backend has it.
 */

export const MOMENTUM_STEP = 'AffectMomentumStep'

export interface MomentumStepAttrs {
  learningRate: number
  momentum: number
}

export function backendHasMomentumStep(): boolean {
  return tf.getKernel(MOMENTUM_STEP, tf.getBackend()) !== undefined
}
