import { describe, expect, it } from "vitest";
import { snapshotFigure } from "../../lib/theory/figures";

describe("snapshotFigure", () => {
  it("shows the fixed curves always and one snapshot at a time", () => {
    const c = (name: string) => ({ name, x: [0, 1], y: [1, 2] });
    const fig = snapshotFigure([{ label: "step 0", curves: [c("G"), c("D")] }, { label: "step 10", curves: [c("G"), c("D")] }], [c("data")], { title: "t" });
    expect(fig.data).toHaveLength(5);
    expect(fig.data.map((d) => d.visible)).toEqual([true, false, false, true, true]);
    const steps = (fig.layout!.sliders as { steps: { label: string; args: [{ visible: boolean[] }] }[] }[])[0].steps;
    expect(steps.map((s) => s.label)).toEqual(["step 0", "step 10"]);
    expect(steps[0].args[0].visible).toEqual([true, true, true, false, false]);
    expect(() => snapshotFigure([], [])).toThrow(/at least one/);
  });
});
