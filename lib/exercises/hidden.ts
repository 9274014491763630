/**
 * The format of an exercise's hidden tests (kept in tests/exercises/<lesson>.hidden.ts, never
 * released to students). The autograder evaluates the student's exercise cell in a fresh, isolated
 * context, collects the top-level functions it defines into `exports`, and runs each case; a case
 * passes when `run` returns without throwing. Points of an exercise = the sum of its cases' points,
 * and must equal the `points` in the exercise cell's metadata.
 */
import type * as tfType from "@tensorflow/tfjs";

export interface HiddenTestContext {
  /** The exercise cell's top-level functions and constants, by name. */
  exports: Record<string, any>;
  /** The TensorFlow.js module of the grading context. */
  tf: typeof tfType;
  /** The gan-course library of the grading context (a fresh copy, unreachable from student cells). */
  lib: typeof import("../index");
}

export interface HiddenTestCase {
  name: string;
  points: number;
  run(ctx: HiddenTestContext): void | Promise<void>;
}

/** Exercise id ("<lesson-stem>/<name>") → its cases. A hidden-test file default-exports this. */
export type HiddenTests = Record<string, HiddenTestCase[]>;
