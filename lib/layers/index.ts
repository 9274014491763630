/** Custom TensorFlow.js layers; importing this registers them for saving and loading models. */
export * from "./self-attention";
export * from "./spectral-normalization";
