/**
 * The theory of the GAN game, computed (lessons 1–2): integrals over 1-D densities, the optimal
 * discriminator, the value function, divergences and distances, and why the minimax generator
 * loss saturates.
 */
export * from "./integrate";
export * from "./optimal-discriminator";
export * from "./value-function";
export * from "./divergences";
export * from "./wasserstein";
export * from "./kde";
export * from "./fit-discriminator";
export * from "./saturation";
export * from "./strong-discriminator";
export * from "./figures";
