/**
 * Image outputs (image/png, image/jpeg, image/gif) are checked before they reach a page: the
 * base64 must be valid and the bytes must be the image they claim to be (PNGs are fully decoded
 * with pngjs, which also gives their size), so a corrupt output becomes a readable note instead
 * of a broken <img>. Valid images are written once each, named by content hash, under images/.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";

export interface CheckedImage {
  mime: string;
  ext: string;
  bytes: Buffer;
  width?: number;
  height?: number;
}

export type ImageResult = { ok: true; image: CheckedImage } | { ok: false; reason: string };

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (Buffer.from would silently skip bad characters). */
export function decodeBase64(data: string): Buffer | null {
  const b64 = data.replace(/\s+/g, "");
  if (!b64 || !BASE64_RE.test(b64) || b64.length % 4 === 1) return null;
  return Buffer.from(b64, "base64");
}

function startsWith(bytes: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Validates a base64 image output of the given MIME type. */
export function checkImage(mime: string, data: string): ImageResult {
  const bytes = decodeBase64(data);
  if (!bytes) return { ok: false, reason: "the image data is not valid base64" };
  switch (mime) {
    case "image/png": {
      if (!startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
        return { ok: false, reason: "the data is not a PNG image" };
      }
      try {
        const png = PNG.sync.read(bytes);
        return { ok: true, image: { mime, ext: "png", bytes, width: png.width, height: png.height } };
      } catch {
        return { ok: false, reason: "the PNG data is corrupt or truncated" };
      }
    }
    case "image/jpeg":
      if (!startsWith(bytes, [0xff, 0xd8, 0xff])) return { ok: false, reason: "the data is not a JPEG image" };
      if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
        return { ok: false, reason: "the JPEG image is truncated" };
      }
      return { ok: true, image: { mime, ext: "jpg", bytes } };
    case "image/gif":
      if (bytes.length < 10 || !/^GIF8[79]a$/.test(bytes.subarray(0, 6).toString("latin1"))) {
        return { ok: false, reason: "the data is not a GIF image" };
      }
      return { ok: true, image: { mime, ext: "gif", bytes, width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) } };
    default:
      return { ok: false, reason: `unsupported image type ${mime}` };
  }
}

/** Where rendered images go: returns the URL a page uses for the image. */
export type ImageSink = (image: CheckedImage) => string;

/** Images inlined as data: URIs (for unit tests and single-file previews). */
export const inlineImages: ImageSink = (image) => `data:${image.mime};base64,${image.bytes.toString("base64")}`;

/** Images written to <outDir>/images/<sha1>.<ext>, each distinct image once. */
export function fileImages(outDir: string): ImageSink & { written: Set<string> } {
  const written = new Set<string>();
  const sink = (image: CheckedImage) => {
    const name = `${createHash("sha1").update(image.bytes).digest("hex").slice(0, 16)}.${image.ext}`;
    if (!written.has(name)) {
      mkdirSync(path.join(outDir, "images"), { recursive: true });
      writeFileSync(path.join(outDir, "images", name), image.bytes);
      written.add(name);
    }
    return `images/${name}`;
  };
  return Object.assign(sink, { written });
}
