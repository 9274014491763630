/** Experiments behind the lessons' comparisons: seeded runs and tables over seeds. */
export * from "./mode-collapse";
export * from "./dcgan-mnist";
