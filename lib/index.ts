/**
 * gan-course: the shared library every lesson imports.
 *
 *   import { setupLesson, data, plot } from "gan-course";
 *
 * Importing this module changes no global state: backends and seeds are set by `setupLesson`.
 */
export { setupLesson, reseed } from "./setup";
export type { SetupConfig, SetupResult } from "./setup";
export type { BackendName } from "./backend/select";
export { createRng } from "./random";
export type { Rng } from "./random";
