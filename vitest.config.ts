import { defineConfig } from "vitest/config";

// Unit tests over lib/ and the scripts. Notebooks are executed by scripts/course.ts, not here.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two cores: run two test files at a time; each forks its own TensorFlow.js engine.
    maxWorkers: 2,
  },
});
