/**
 * Reader for the IDX format of the original MNIST files (LeCun et al., yann.lecun.com/exdb/mnist).
 *
 * Layout: a 4-byte magic [0, 0, dtype, nDims], then nDims big-endian uint32 sizes, then the data.
 * MNIST uses dtype 0x08 (unsigned byte): images are [N, 28, 28], labels [N].
 * Why our own: it is 40 lines, and we want errors that name the file and what is wrong with it.
 */
import * as fs from "fs";

export interface IdxArray {
  /** Dimensions, e.g. [60000, 28, 28]. */
  shape: number[];
  /** Row-major values. */
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parse IDX bytes; `name` is used in error messages. Only unsigned-byte data (MNIST) is supported. */
export function parseIdx(bytes: Uint8Array, name = "<buffer>"): IdxArray {
  if (bytes.length < 4) throw new Error(`${name}: not an IDX file (only ${bytes.length} bytes, need a 4-byte header)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new Error(`${name}: wrong magic number 0x${magic}; an IDX file starts with 0x0000 (was it gunzipped?)`);
  }
  const dtype = bytes[2];
  const nDims = bytes[3];
  if (dtype !== UBYTE) throw new Error(`${name}: IDX data type 0x${dtype.toString(16)} is not supported (MNIST uses 0x08, unsigned byte)`);
  if (nDims < 1 || nDims > 4) throw new Error(`${name}: IDX header says ${nDims} dimensions; expected 1 to 4`);
  const headerBytes = 4 + 4 * nDims;
  if (bytes.length < headerBytes) throw new Error(`${name}: truncated header (${bytes.length} bytes, need ${headerBytes})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < nDims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerBytes;
  if (available < count) {
    throw new Error(`${name}: truncated: header promises ${count} values of shape [${shape.join(", ")}] but only ${available} follow`);
  }
  if (available > count) throw new Error(`${name}: ${available - count} unexpected bytes after the data of shape [${shape.join(", ")}]`);
  return { shape, data: bytes.slice(headerBytes) };
}

/** Read and parse an IDX file from disk. */
export function readIdxFile(path: string): IdxArray {
  if (!fs.existsSync(path)) throw new Error(`${path}: file not found`);
  return parseIdx(new Uint8Array(fs.readFileSync(path)), path);
}

/** Encode an IDX unsigned-byte array (used by tests and tools that write small IDX files). */
export function encodeIdx(shape: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
