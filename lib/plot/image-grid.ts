/**
 * Image grids as PNG: the standard way to look at a generator's samples.
 *
 * Input is [N, H, W, C] (C = 1 or 3) in [-1, 1] (tanh range) or [0, 1]; output is PNG bytes
 * encoded by pngjs.
 */
import * as tf from "@tensorflow/tfjs";
import { PNG } from "pngjs";
import { MimeBundle, show } from "./display";

export interface ImageGridConfig {
  /** Images per row. Default: ceil(sqrt(N)). */
  cols?: number;
  /** Pixel upscaling factor (nearest neighbour). Default 2. */
  scale?: number;
  /** Pixels between tiles. Default 2. */
  padding?: number;
  /** Value range of the input. Default [-1, 1]. */
  range?: [number, number];
  /** Padding grey level 0..255. Default 255 (white). */
  background?: number;
}

/** Encode a batch of images [N, H, W, C] as one PNG grid. */
export async function imageGridPng(images: tf.Tensor, config: ImageGridConfig = {}): Promise<Uint8Array> {
  const rank4 = images.rank === 3 ? images.expandDims(-1) : images; // [N, H, W] -> [N, H, W, 1]
  if (rank4.rank !== 4) throw new Error(`imageGridPng: expected images [N, H, W, C] or [N, H, W], got shape [${images.shape.join(", ")}]`);
  const [n, h, w, c] = rank4.shape as [number, number, number, number];
  if (c !== 1 && c !== 3) throw new Error(`imageGridPng: expected 1 or 3 channels, got ${c}`);
  if (n === 0) throw new Error("imageGridPng: no images to draw");
  const values = await rank4.data();
  if (rank4 !== images) rank4.dispose();
  const [lo, hi] = config.range ?? [-1, 1];
  const cols = Math.min(n, config.cols ?? Math.ceil(Math.sqrt(n)));
  const rows = Math.ceil(n / cols);
  const scale = config.scale ?? 2;
  const pad = config.padding ?? 2;
  const bg = config.background ?? 255;
  const width = cols * (w * scale + pad) + pad;
  const height = rows * (h * scale + pad) + pad;
  const png = new PNG({ width, height });
  png.data.fill(bg);
  for (let i = 0; i < width * height; i++) png.data[4 * i + 3] = 255;
  for (let k = 0; k < n; k++) {
    const x0 = pad + (k % cols) * (w * scale + pad);
    const y0 = pad + Math.floor(k / cols) * (h * scale + pad);
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const src = ((k * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const dst = 4 * ((y0 + y) * width + x0 + x);
        for (let ch = 0; ch < 3; ch++) {
          const v = values[src + (c === 3 ? ch : 0)];
          png.data[dst + ch] = Math.max(0, Math.min(255, Math.round(((v - lo) / (hi - lo)) * 255)));
        }
      }
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** The MIME bundle of an image grid (image/png plus a text description). */
export async function imageBundle(images: tf.Tensor, config: ImageGridConfig & { caption?: string } = {}): Promise<MimeBundle> {
  const bytes = await imageGridPng(images, config);
  return {
    "image/png": Buffer.from(bytes).toString("base64"),
    "text/plain": config.caption ?? `<image grid of ${images.shape[0]} images>`,
  };
}

/** Display an image grid in the notebook (image/png). */
export async function showImages(images: tf.Tensor, config: ImageGridConfig & { caption?: string } = {}): Promise<void> {
  show(await imageBundle(images, config));
}
