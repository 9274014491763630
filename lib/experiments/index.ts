/** Experiments behind the lessons' comparisons: seeded runs, tables over seeds, published numbers. */
export * from "./mode-collapse";
export * from "./dcgan-mnist";
