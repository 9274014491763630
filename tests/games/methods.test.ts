import { describe, expect, it } from "vitest";
import { xyGame } from "../../lib/games/game";
import { alternatingGda, consensusOptimization, extragradient, optimisticGda, simultaneousGda } from "../../lib/games/methods";

describe("update rules on the xy game (by hand: x descends V = xy, y ascends it)", () => {
  const [x, y, lr] = [0.8, -0.5, 0.1];
  it("simultaneous: both from the same point", () => {
    expect(simultaneousGda().step(xyGame, [x, y], lr)).toEqual([x - lr * y, y + lr * x]);
  });
  it("alternating: the second player sees the first one's new value", () => {
    const x1 = x - lr * y;
    expect(alternatingGda("x").step(xyGame, [x, y], lr)).toEqual([x1, y + lr * x1]);
    const y1 = y + lr * x;
    expect(alternatingGda("y").step(xyGame, [x, y], lr)).toEqual([x - lr * y1, y1]);
  });
  it("extragradient: the field at the look-ahead point", () => {
    const [xa, ya] = [x - lr * y, y + lr * x];
    const [nx, ny] = extragradient().step(xyGame, [x, y], lr);
    expect(nx).toBeCloseTo(x - lr * ya, 14);
    expect(ny).toBeCloseTo(y + lr * xa, 14);
  });
  it("optimistic: first step is plain GDA, then 2·v_t − v_{t−1}", () => {
    const m = optimisticGda();
    const s0 = m.init([x, y], xyGame);
    const s1 = m.step(xyGame, s0, lr);
    expect(s1.slice(0, 2)).toEqual(simultaneousGda().step(xyGame, [x, y], lr));
    const s2 = m.step(xyGame, s1, lr);
    const [x1, y1] = s1;
    expect(s2[0]).toBeCloseTo(x1 - lr * (2 * y1 - y), 14);
    expect(s2[1]).toBeCloseTo(y1 - lr * (2 * -x1 - -x), 14);
  });
  it("consensus: also descends ½‖v‖² = ½(x² + y²)", () => {
    const [nx, ny] = consensusOptimization(0.5).step(xyGame, [x, y], lr);
    expect(nx).toBeCloseTo(x - lr * (y + 0.5 * x), 14);
    expect(ny).toBeCloseTo(y - lr * (-x + 0.5 * y), 14);
  });
});
