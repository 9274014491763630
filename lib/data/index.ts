/** Data for the lessons: MNIST, IDX files, 1-D Gaussian mixtures, 2-D toy mixtures. */
export * from "./mnist";
export * from "./idx";
export * from "./mixture1d";
export * from "./toy2d";
export * from "./batches";
export * from "./domains";
