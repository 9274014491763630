import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { PNG } from "pngjs";
import { imageBundle, imageGridPng } from "../../lib/plot/image-grid";
import { plotlyBundle } from "../../lib/plot/plotly";
import { lineChart, lossCurves, scatter2d } from "../../lib/plot/charts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("image grid", () => {
  it("encodes a valid PNG of the expected size, mapping -1 → black and 1 → white", async () => {
    const images = tf.concat([tf.fill([2, 4, 4, 1], -1), tf.fill([2, 4, 4, 1], 1)]); // 4 images
    const bytes = await imageGridPng(images, { cols: 2, scale: 1, padding: 1 });
    const png = PNG.sync.read(Buffer.from(bytes));
    expect([png.width, png.height]).toEqual([2 * 5 + 1, 2 * 5 + 1]);
    expect(png.data[4 * (1 * png.width + 1)]).toBe(0); // first tile: black
    expect(png.data[4 * (6 * png.width + 1)]).toBe(255); // third tile: white
    images.dispose();
  });
  it("rejects wrong shapes with a clear message", async () => {
    await expect(imageGridPng(tf.zeros([2, 4, 4, 2]))).rejects.toThrow(/1 or 3 channels, got 2/);
    await expect(imageGridPng(tf.zeros([4]))).rejects.toThrow(/expected images \[N, H, W, C\]/);
  });
  it("imageBundle carries the PNG as base64 and a text description", async () => {
    const bundle = await imageBundle(tf.zeros([1, 2, 2, 1]));
    expect(typeof bundle["image/png"]).toBe("string");
  });
});

describe("plotly bundles", () => {
  it("carry the figure as JSON, an HTML fallback and plain text", () => {
    const fig = lineChart([{ name: "a", y: [1, 2, 3] }], { title: "T", logY: true });
    const bundle = plotlyBundle(fig);
    const json = bundle["application/vnd.plotly.v1+json"] as { data: { y: number[] }[]; layout: { yaxis: { type: string } } };
    expect(json.data[0].y).toEqual([1, 2, 3]);
    expect(json.layout.yaxis.type).toBe("log");
    expect(bundle["text/html"]).toMatch(/Plotly\.newPlot/);
    expect(bundle["text/plain"]).toMatch(/Plotly figure: T, 1 trace/);
    expect(String(bundle["text/html"]).length).toBeLessThan(5000); // the library is not inlined by default
  });
  it("lossCurves uses every metric column; scatter2d splits flat points", () => {
    const fig = lossCurves({ step: [1, 2], lossD: [1, 0.5], lossG: [2, 1] });
    expect(fig.data.map((d) => d.name)).toEqual(["lossD", "lossG"]);
    const sc = scatter2d([{ name: "real", points: [1, 2, 3, 4] }]);
    expect(sc.data[0].x).toEqual([1, 3]);
    expect(sc.data[0].y).toEqual([2, 4]);
  });
});
