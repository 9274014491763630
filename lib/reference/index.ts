/** The reference MNIST classifier: accuracy of generated digits and the feature space for FID. */
export * from "./classifier";
