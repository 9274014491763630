/**
 * Geometry of a 2-D convolution (NHWC) shared by our conv gradient kernels: sizes, strides,
 * dilations and the explicit padding tfjs resolves for 'same' / 'valid' / explicit pads, plus
 * the NCHW <-> NHWC plumbing (the wasm backend computes in NHWC only).
 *
 * Forward convolution, per spatial axis (Dumoulin & Visin 2016, "A guide to convolution
 * arithmetic for deep learning"):  y[o] = sum_t x[o*s + t*d - padBefore] · W[t].
 */
import * as tf from "@tensorflow/tfjs";
import { transpose } from "./transpose";
import { Info, WasmBackend } from "./wasm_heap";

export interface ConvGeometry {
  batch: number;
  inH: number; inW: number; inC: number;   // x / dx: [batch, inH, inW, inC]
  outH: number; outW: number; outC: number; // y / dy: [batch, outH, outW, outC]
  kH: number; kW: number;                   // filter: [kH, kW, inC, outC]
  sH: number; sW: number;
  dH: number; dW: number;
  padTop: number; padBottom: number; padLeft: number; padRight: number;
}

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

export function convGeometry(
  xShapeNHWC: number[], filterShape: number[], strides: number | [number, number], pad: Pad,
  dimRoundingMode?: "floor" | "round" | "ceil", dilations: number | [number, number] = 1,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShapeNHWC as [number, number, number, number], filterShape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, "channelsLast");
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, outC: info.outChannels,
    kH: info.filterHeight, kW: info.filterWidth, sH: info.strideHeight, sW: info.strideWidth,
    dH: info.dilationHeight, dW: info.dilationWidth,
    padTop: info.padInfo.top, padBottom: info.padInfo.bottom, padLeft: info.padInfo.left, padRight: info.padInfo.right,
  };
}

/** True when the kernel's data format is channels-first ("NCHW"). */
export function isNCHW(dataFormat: unknown): boolean {
  if (dataFormat === "NCHW" || dataFormat === "channelsFirst") return true;
  if (dataFormat == null || dataFormat === "NHWC" || dataFormat === "channelsLast") return false;
  throw new Error(`wasm kernels: unknown conv dataFormat "${String(dataFormat)}"`);
}

export const nchwToNhwcShape = (s: number[]): number[] => [s[0], s[2], s[3], s[1]];
export const toNHWC = (backend: WasmBackend, x: Info): Info => transpose(backend, x, [0, 2, 3, 1]);
export const toNCHW = (backend: WasmBackend, x: Info): Info => transpose(backend, x, [0, 3, 1, 2]);

/** Dilations attribute (absent on tfjs 4.22's backprop kernels) as [dH, dW]; rejects bad values. */
export function dilationsOf(kernelName: string, dilations: unknown): [number, number] {
  if (dilations == null) return [1, 1];
  const d = typeof dilations === "number" ? [dilations, dilations] : (dilations as number[]);
  if (d.length !== 2 || !d.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${kernelName} (wasm): unsupported attribute dilations=${JSON.stringify(dilations)}`);
  }
  return [d[0], d[1]];
}
