/** Generator and discriminator architectures. */
export * from "./mlp";
export * from "./dcgan";
export * from "./autoencoder";
export * from "./vae";
export * from "./pacgan";
export * from "./sagan";
export * from "./conditional";
export * from "./acgan";
export * from "./infogan";
export * from "./unet";
export * from "./patchgan";
export * from "./pix2pix";
export * from "./cyclegan";
export * from "./sample";
