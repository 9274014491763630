/**
 * Conv2DBackpropFilter for the wasm backend (missing from @tensorflow/tfjs-backend-wasm 4.22):
 * the weight gradient of conv2d, and of conv2dTranspose.
 *
 *   dW[kh, kw, ci, co] = sum_{n, oh, ow} x[n, oh*s + kh*d - p, ow*s + kw*d - p, ci] · dy[n, oh, ow, co]
 *
 * The sum runs over batch and output pixels, so in NHWC both operands must be "transposed" for a
 * GEMM. Two exact formulations, both computed by XNNPACK:
 *
 * 1. Many input channels: a convolution with batch and channels swapped. Take x as an image
 *    batch of inC images [inC, H, W, batch] and dy as a filter [outH, outW, batch, outC]; a conv
 *    with stride d and dilation s (the forward stride) gives [inC, kH, kW, outC] = dW permuted.
 *    XNNPACK's indirect GEMM then runs with M = inC*kH*kW, K = outH*outW*batch, N = outC; the
 *    only copies are three XNNPACK transposes.
 * 2. Few input channels (the first D layer and the G output layer have 1): im2col transposed
 *    (Chellapilla et al. 2006), colsT[kH*kW*inC, pixels], then dW = colsT · dy as one GEMM whose
 *    right operand is dy as it is; the JS gather is small because inC is.
 */
import * as tf from "@tensorflow/tfjs";
import { transpose } from "./transpose";
import { ConvGeometry, convGeometry, dilationsOf, isNCHW, nchwToNhwcShape, toNHWC } from "./conv_geometry";
import { ptr, simdFor } from "./simd";
import { Info, WasmBackend, alloc, conv2d, f32, free, matmul, reshaped, runOriginal } from "./wasm_heap";

/** Path choice, exposed so tests can exercise both paths. */
export const backpropFilterTuning = {
  /** From this many input channels on, the swapped-axes convolution beats im2col (measured). */
  swappedConvMinInChannels: 8,
};

/** dW = colsT · dy with colsT the transposed im2col of x. */
function viaIm2col(backend: WasmBackend, x: Info, dy: Info, g: ConvGeometry): Info {
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW } = g;
  const K = kH * kW * inC;
  const pixels = batch * outH * outW;
  const colsT = alloc(backend, [K, pixels]);
  const simd = simdFor(backend);
  if (simd) {
    simd.im2col_t(ptr(backend, x), ptr(backend, colsT), batch, inH, inW, inC, outH, outW, kH, kW, g.sH, g.sW, g.dH, g.dW, g.padTop, g.padLeft);
  } else {
    im2colTransposedJs(f32(backend, x), f32(backend, colsT), g);
  }
  const dW = matmul(backend, colsT, dy, K, pixels, outC);
  free(backend, colsT);
  return reshaped(dW, [kH, kW, inC, outC]);
}

/** colsT[(kh*kW + kw)*inC + c][p] = x[n, oh*sH + kh*dH - padTop, ow*sW + kw*dW - padLeft, c] (0 outside). */
function im2colTransposedJs(X: Float32Array, C: Float32Array, g: ConvGeometry): void {
  const { batch, inH, inW, inC, outH, outW, kH, kW } = g;
  const pixels = batch * outH * outW;
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      const row0 = (kh * kW + kw) * inC * pixels;
      let p = 0;
      for (let n = 0; n < batch; n++) {
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * g.sH - g.padTop + kh * g.dH;
          const rowOk = ih >= 0 && ih < inH;
          for (let ow = 0; ow < outW; ow++, p++) {
            const iw = ow * g.sW - g.padLeft + kw * g.dW;
            if (rowOk && iw >= 0 && iw < inW) {
              const src = ((n * inH + ih) * inW + iw) * inC;
              for (let c = 0; c < inC; c++) C[row0 + c * pixels + p] = X[src + c];
            } else {
              for (let c = 0; c < inC; c++) C[row0 + c * pixels + p] = 0;
            }
          }
        }
      }
    }
  }
}

/** Output length of the swapped conv along one axis, with the trailing pad trimmed to fit. */
function swappedAxis(inLen: number, outLen: number, k: number, s: number, d: number, padBefore: number, padAfter: number) {
  const span = (outLen - 1) * s + 1; // dilated extent of dy used as a filter
  // Trailing input rows the forward conv never reached add nothing: trim them from the padding.
  const slack = inLen + padBefore + padAfter - span - (k - 1) * d;
  const after = Math.max(padAfter - Math.max(slack, 0), 0);
  const len = Math.floor((inLen + padBefore + after - span) / d) + 1;
  return { after, len };
}

/** dW via a convolution of x (batch <-> channels) with dy as the filter. */
function viaSwappedConv(backend: WasmBackend, x: Info, dy: Info, g: ConvGeometry): Info {
  const { inC, outC, kH, kW } = g;
  const hAx = swappedAxis(g.inH, g.outH, kH, g.sH, g.dH, g.padTop, g.padBottom);
  const wAx = swappedAxis(g.inW, g.outW, kW, g.sW, g.dW, g.padLeft, g.padRight);
  const xT = transpose(backend, x, [3, 1, 2, 0]); // [inC, H, W, batch]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [outH, outW, batch, outC]
  let out = conv2d(backend, xT, dyT, [g.dH, g.dW], [g.padTop, hAx.after, g.padLeft, wAx.after], [g.sH, g.sW]);
  free(backend, xT, dyT);
  if (hAx.len !== kH || wAx.len !== kW) {
    const cropped = runOriginal("Slice", backend, { x: out }, { begin: [0, 0, 0, 0], size: [inC, kH, kW, outC] });
    free(backend, out);
    out = cropped;
  }
  const dW = transpose(backend, out, [1, 2, 0, 3]); // [kH, kW, inC, outC]
  free(backend, out);
  return dW;
}

/** dW for NHWC x and dy; picks the swapped convolution or im2col. */
export function conv2dBackpropFilterNHWC(backend: WasmBackend, x: Info, dy: Info, g: ConvGeometry): Info {
  if (g.inC >= backpropFilterTuning.swappedConvMinInChannels) return viaSwappedConv(backend, x, dy, g);
  return viaIm2col(backend, x, dy, g);
}

function conv2dBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap;
}): Info {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as unknown as { x: Info; dy: Info };
  const attrs = (args.attrs ?? {}) as unknown as tf.Conv2DBackpropFilterAttrs & { dilations?: unknown };
  if (x.dtype !== "float32" || dy.dtype !== "float32") {
    throw new Error(`Conv2DBackpropFilter (wasm): unsupported dtype ${x.dtype}/${dy.dtype}; use float32`);
  }
  const dilations = dilationsOf("Conv2DBackpropFilter", attrs.dilations);
  const nchw = isNCHW(attrs.dataFormat);
  const xShape = nchw ? nchwToNhwcShape(x.shape) : x.shape;
  const g = convGeometry(xShape, attrs.filterShape, attrs.strides, attrs.pad as never, attrs.dimRoundingMode, dilations);
  if (!nchw) return conv2dBackpropFilterNHWC(backend, x, dy, g);
  const xNHWC = toNHWC(backend, x);
  const dyNHWC = toNHWC(backend, dy);
  const dW = conv2dBackpropFilterNHWC(backend, xNHWC, dyNHWC, g);
  free(backend, xNHWC, dyNHWC);
  return dW;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
