/** GAN losses, each computed from logits (or critic scores) in a numerically stable way. */
export * from "./types";
export * from "./minimax";
export * from "./non-saturating";
export * from "./least-squares";
export * from "./wasserstein";
export * from "./hinge";
