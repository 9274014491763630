/** Custom TensorFlow.js layers; importing this registers them for saving and loading models. */
export * from "./self-attention";
export * from "./spectral-normalization";
export * from "./minibatch-discrimination";
export * from "./minibatch-stddev";
export * from "./pairwise-distance";
