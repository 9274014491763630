/** The one GAN trainer, its callbacks and regularizers. */
export * from "./trainer";
export * from "./callbacks";
export * from "./regularizers";
export * from "./vae-trainer";
