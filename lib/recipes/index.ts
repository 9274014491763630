/**
 * The catalog of training recipes behind `npm run train -- NAME` and the shipped checkpoints.
 * Each entry loads its module lazily. Add one line per recipe.
 */
import { RecipeCatalog, TrainingRecipe } from "../checkpoints/recipes";

export const RECIPES: RecipeCatalog = {
  "ring-mlp": () => require("./ring-mlp").recipe,
  "reference-classifier": () => require("./reference-classifier").recipe,
  "vae-mnist": () => require("./vae-mnist").recipe,
};

export function getRecipe(name: string): TrainingRecipe {
  const load = RECIPES[name];
  if (!load) throw new Error(`No training recipe named "${name}". Known: ${Object.keys(RECIPES).sort().join(", ")}`);
  return load();
}

export function recipeNames(): string[] {
  return Object.keys(RECIPES).sort();
}
