/** Shipped checkpoints: saving, loading, resuming, and the recipes that train them. */
export * from "./model-files";
export * from "./checkpoint";
export * from "./recipes";
