import { describe, expect, it } from "vitest";
import { Game, diracGame, gameJacobian, quadrantTable, xyGame } from "../../lib/games/game";

describe("games", () => {
  it("the xy game's field is (∂V/∂x, −∂V/∂y) = (y, −x)", () => {
    expect(xyGame.value(2, 3)).toBe(6);
    expect(xyGame.field(2, 3)).toEqual([3, -2]);
    expect(xyGame.equilibrium).toEqual([0, 0]);
  });
  it("the Dirac-GAN's field is the gradient of its value, and its Jacobian matches central differences", () => {
    const h = 1e-6;
    for (const [t, p] of [[0.7, -1.2], [-0.4, 0.3], [1.5, 2]]) {
      const [vx, vy] = diracGame.field(t, p);
      expect(vx).toBeCloseTo((diracGame.value(t + h, p) - diracGame.value(t - h, p)) / (2 * h), 6);
      expect(vy).toBeCloseTo(-(diracGame.value(t, p + h) - diracGame.value(t, p - h)) / (2 * h), 6);
      const numeric = gameJacobian({ ...diracGame, jacobian: undefined } as Game, [t, p]);
      const exact = gameJacobian(diracGame, [t, p]);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(exact[i][j]).toBeCloseTo(numeric[i][j], 7);
    }
    expect(gameJacobian(diracGame, [0, 0])).toEqual([[-0, -0.5], [0.5, 0]]);
    expect(diracGame.value(0, 0)).toBeCloseTo(-Math.log(4), 12);
  });
  it("the four-state table of the xy game: who moves where, and the cycle 1 → 2 → 3 → 4 → 1", () => {
    const rows = quadrantTable(xyGame);
    expect(rows.map((r) => [r.x, r.y, r.V, r.xMoves, r.yMoves, r.next])).toEqual([
      ["x > 0", "y > 0", "V > 0", "decrease x", "increase y", 2],
      ["x < 0", "y > 0", "V < 0", "decrease x", "decrease y", 3],
      ["x < 0", "y < 0", "V > 0", "increase x", "decrease y", 4],
      ["x > 0", "y < 0", "V < 0", "increase x", "increase y", 1],
    ]);
  });
  it("the Dirac-GAN cycles through the quadrants the other way round", () => {
    expect(quadrantTable(diracGame).map((r) => r.next)).toEqual([4, 1, 2, 3]);
  });
});
