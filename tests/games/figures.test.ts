import { describe, expect, it } from "vitest";
import { distanceFigure, gameFigure, vectorFieldTrace } from "../../lib/games/figures";
import { xyGame } from "../../lib/games/game";
import { simultaneousGda } from "../../lib/games/methods";
import { simulate } from "../../lib/games/simulate";

describe("game figures", () => {
  it("arrows follow −v: at (1, 0) the xy field points up (y increases)", () => {
    const trace = vectorFieldTrace(xyGame, { range: [-1, 1], n: 3 }) as { x: (number | null)[]; y: (number | null)[] };
    // arrows are separated by nulls: shaft (2 points + null), then two barbs
    const i = trace.x.findIndex((v, k) => v === 1 && trace.y[k] === 0);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(trace.x[i + 1]).toBeCloseTo(1, 12);
    expect(trace.y[i + 1] as number).toBeGreaterThan(0);
    expect(trace.x.filter((v) => v === null).length).toBe(3 * 8); // 9 grid points, the centre has no arrow
  });
  it("gameFigure layers the field, trajectories, start and equilibrium; distanceFigure is log-scaled", () => {
    const t = simulate(xyGame, simultaneousGda(), [1, 1], { steps: 5, lr: 0.1 });
    const fig = gameFigure(xyGame, [t, t]);
    expect(fig.data).toHaveLength(5);
    expect(fig.data[1].x).toEqual(t.x);
    const d = distanceFigure([t]);
    expect((d.layout!.yaxis as { type: string }).type).toBe("log");
    expect(d.data[0].y).toEqual(t.distance);
  });
});
