/** Generator and discriminator architectures. */
export * from "./mlp";
export * from "./autoencoder";
export * from "./vae";
export * from "./sagan";
