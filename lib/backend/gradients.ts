/**
 * Zero gradients for comparison kernels (Greater, Less, LessEqual, Equal, NotEqual).
 *
 * Why: double backpropagation — the WGAN-GP gradient penalty (Gulrajani et al. 2017) and R1 —
 * differentiates a gradient. The gradients of ReLU-like activations (LeakyReLU, PReLU) contain a
 * comparison of the input with 0, and tfjs registers no gradient for those kernels, so the second
 * backward pass fails with "gradient function not found for Greater". A comparison is piecewise
 * constant, so its gradient is zero almost everywhere. Registered by setupLesson, never on import.
 */
import * as tf from "@tensorflow/tfjs";

const COMPARISONS = ["Greater", "Less", "LessEqual", "Equal", "NotEqual"];

export function registerComparisonGradients(): void {
  for (const kernelName of COMPARISONS) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ["a", "b"],
      gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]), b: () => tf.zerosLike(saved[1]) }),
    });
  }
}
