/**
 * gan-course: the shared library every lesson imports.
 *
 *   import { setupLesson, data, plot, losses, train, models } from "gan-course";
 *
 * Importing this module changes no global state: backends and seeds are set by `setupLesson`.
 */
export { setupLesson, reseed } from "./setup";
export type { SetupConfig, SetupResult } from "./setup";
export type { BackendName } from "./backend/select";
export { createRng } from "./random";
export type { Rng } from "./random";
export * as data from "./data";
export * as plot from "./plot";
export * as losses from "./losses";
export * as train from "./train";
export * as models from "./models";
export * from "./exercises";
export * as theory from "./theory";
export * as games from "./games";
export * as checkpoints from "./checkpoints";
export * as recipes from "./recipes";
export * as reference from "./reference";
export * as metrics from "./metrics";
export * as layers from "./layers";
export * as experiments from "./experiments";
