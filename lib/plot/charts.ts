/**
 * Figure builders for the charts lessons draw again and again. Each returns a Plotly `Figure`
 * (plain data); `showFigure` displays it.
 */
import { Figure } from "./plotly";

export interface Series {
  name: string;
  x?: number[];
  y: number[];
}

/** Lines over a shared x axis (loss curves, distances per step). */
export function lineChart(series: Series[], layout: { title?: string; xTitle?: string; yTitle?: string; logY?: boolean } = {}): Figure {
  return {
    data: series.map((s) => ({ type: "scatter", mode: "lines", name: s.name, x: s.x ?? s.y.map((_, i) => i), y: s.y })),
    layout: {
      title: { text: layout.title ?? "" },
      xaxis: { title: { text: layout.xTitle ?? "" } },
      yaxis: { title: { text: layout.yTitle ?? "" }, type: layout.logY ? "log" : "linear" },
    },
  };
}

/** Loss curves from a trainer history ({ step: number[], lossD: number[], lossG: number[], ... }). */
export function lossCurves(history: Record<string, number[]>, title = "Training losses"): Figure {
  const x = history.step;
  const series = Object.keys(history)
    .filter((k) => k !== "step" && history[k].length === x.length)
    .map((k) => ({ name: k, x, y: history[k] }));
  return lineChart(series, { title, xTitle: "step", yTitle: "loss" });
}

/** A bar chart (class histograms, mode counts). */
export function barChart(labels: (string | number)[], values: number[], layout: { title?: string; xTitle?: string; yTitle?: string } = {}): Figure {
  return {
    data: [{ type: "bar", x: labels.map(String), y: values }],
    layout: { title: { text: layout.title ?? "" }, xaxis: { title: { text: layout.xTitle ?? "" }, type: "category" }, yaxis: { title: { text: layout.yTitle ?? "" } } },
  };
}

/** 2-D point clouds (real vs generated samples of a toy mixture). */
export function scatter2d(sets: { name: string; points: ArrayLike<number> /* flat [x0, y0, x1, y1, ...] */; size?: number }[], layout: { title?: string; range?: number } = {}): Figure {
  const axis = layout.range ? { range: [-layout.range, layout.range] } : {};
  return {
    data: sets.map((s) => {
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i + 1 < s.points.length; i += 2) {
        x.push(s.points[i]);
        y.push(s.points[i + 1]);
      }
      return { type: "scatter", mode: "markers", name: s.name, x, y, marker: { size: s.size ?? 3, opacity: 0.6 } };
    }),
    layout: { title: { text: layout.title ?? "" }, xaxis: { ...axis }, yaxis: { ...axis, scaleanchor: "x" }, height: 420 },
  };
}
