/** Generator and discriminator architectures. */
export * from "./mlp";
