import { describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { encodeIdx, parseIdx, readIdxFile } from "../../lib/data/idx";

describe("IDX reader", () => {
  const shape = [3, 2, 2];
  const data = Uint8Array.from([...Array(12).keys()]);

  it("round-trips a small file written to disk", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "idx-")), "x-idx3-ubyte");
    fs.writeFileSync(file, encodeIdx(shape, data));
    const read = readIdxFile(file);
    expect(read.shape).toEqual(shape);
    expect(Array.from(read.data)).toEqual(Array.from(data));
  });

  it("names the file and the problem for a wrong magic number", () => {
    const bytes = encodeIdx(shape, data);
    bytes[0] = 0x1f; // a gzip header starts 1f 8b
    expect(() => parseIdx(bytes, "t10k.gz")).toThrow(/t10k\.gz: wrong magic number 0x1f.*gunzipped/);
  });

  it("reports a truncated file with the promised and available sizes", () => {
    const bytes = encodeIdx(shape, data).slice(0, -5);
    expect(() => parseIdx(bytes, "short")).toThrow(/short: truncated: header promises 12 values of shape \[3, 2, 2\] but only 7 follow/);
  });

  it("rejects a truncated header, an unsupported type and trailing bytes", () => {
    expect(() => parseIdx(Uint8Array.from([0, 0]), "tiny")).toThrow(/tiny: not an IDX file/);
    expect(() => parseIdx(encodeIdx([3, 2, 2], data).slice(0, 10), "hdr")).toThrow(/hdr: truncated header/);
    const bytes = encodeIdx(shape, data);
    bytes[2] = 0x0d; // float
    expect(() => parseIdx(bytes, "f")).toThrow(/f: IDX data type 0xd is not supported/);
    const extra = new Uint8Array([...encodeIdx(shape, data), 1, 2]);
    expect(() => parseIdx(extra, "e")).toThrow(/e: 2 unexpected bytes/);
  });

  it("errors clearly for a missing file", () => {
    expect(() => readIdxFile("/nonexistent/file")).toThrow(/\/nonexistent\/file: file not found/);
  });
});
