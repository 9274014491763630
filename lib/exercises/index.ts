/** Helpers for the course's exercises: the visible checks a learner runs after each exercise. */
export * as check from "./checks";
export type { HiddenTests, HiddenTestCase, HiddenTestContext } from "./hidden";
export { CheckError } from "./checks";
