import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { close, ok, shape, CheckError } from "../../lib/exercises/checks";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("exercise checks", () => {
  it("close accepts numbers, arrays and tensors within tolerance", () => {
    close(1.0000001, 1);
    close([1, 2], tf.tensor1d([1, 2.00001]));
    close(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2]]));
  });
  it("close explains a mismatch, a wrong size and a missing value", () => {
    expect(() => close(1.5, 1, { message: "D*(0)" })).toThrow(/D\*\(0\): expected 1, got 1.5/);
    expect(() => close([1, 2, 3], [1, 2])).toThrow(/expected 2 value\(s\) of shape \[2\], got 3/);
    expect(() => close(undefined as unknown as number, 1)).toThrow(/did the function return a value/);
    expect(() => close(NaN, 1)).toThrow(CheckError);
  });
  it("shape and ok", () => {
    shape(tf.zeros([2, 3]), [2, 3]);
    expect(() => shape(tf.zeros([2, 3]), [3, 2], "output")).toThrow(/output: expected shape \[3,2\], got \[2,3\]/);
    expect(() => ok(false, "must hold")).toThrow(/must hold/);
  });
});
