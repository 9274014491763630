/**
 * A chart with a slider over snapshots (e.g. the generator's density during training), built with
 * plain traces whose visibility the slider switches — a Plotly "update" slider, so it needs no
 * animation frames and works wherever a static figure is drawn.
 */
import { Figure } from "../plot/plotly";

export interface Curve {
  name: string;
  x: number[];
  y: number[];
  /** Plotly line style, e.g. { dash: "dot" }. */
  line?: Record<string, unknown>;
}

export interface Snapshot {
  /** Slider label, e.g. "step 200". */
  label: string;
  curves: Curve[];
}

/** Fixed curves plus one set of curves per snapshot; the slider picks the snapshot (the last one shows first). */
export function snapshotFigure(snapshots: Snapshot[], fixed: Curve[], layout: { title?: string; xTitle?: string; yTitle?: string; yRange?: [number, number] } = {}): Figure {
  if (snapshots.length === 0) throw new Error("snapshotFigure: need at least one snapshot");
  const trace = (c: Curve, visible: boolean) => ({ type: "scatter", mode: "lines", name: c.name, x: c.x, y: c.y, line: c.line ?? {}, visible });
  const last = snapshots.length - 1;
  const data = [...fixed.map((c) => trace(c, true)), ...snapshots.flatMap((s, k) => s.curves.map((c) => trace(c, k === last)))];
  const visibility = (k: number) => [...fixed.map(() => true), ...snapshots.flatMap((s, i) => s.curves.map(() => i === k))];
  const title = (k: number) => `${layout.title ?? ""}${layout.title ? " — " : ""}${snapshots[k].label}`;
  return {
    data,
    layout: {
      title: { text: title(last) },
      xaxis: { title: { text: layout.xTitle ?? "" } },
      yaxis: { title: { text: layout.yTitle ?? "" }, ...(layout.yRange ? { range: layout.yRange } : {}) },
      height: 460,
      margin: { l: 50, r: 20, t: 40, b: 120 },
      sliders: [
        {
          active: last,
          currentvalue: { visible: false },
          pad: { t: 70 },
          steps: snapshots.map((s, k) => ({ label: s.label, method: "update", args: [{ visible: visibility(k) }, { "title.text": title(k) }] })),
        },
      ],
    },
  };
}
