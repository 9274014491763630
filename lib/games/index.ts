/**
 * Games and their dynamics (lesson 3): the xy game and the Dirac-GAN, update rules (simultaneous,
 * alternating, extragradient, optimistic, consensus), update matrices and spectral radii, and the
 * Dirac-GAN trained by the real GanTrainer.
 */
export * from "./game";
export * from "./methods";
export * from "./simulate";
export * from "./spectral";
export * from "./dirac-gan";
export * from "./r1";
export * from "./figures";
