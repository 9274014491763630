/**
 * The catalog of training recipes behind `npm run train -- NAME` and the shipped checkpoints.
 * Each entry loads its module lazily. Add one line per recipe.
 */
import { RecipeCatalog, TrainingRecipe } from "../checkpoints/recipes";

export const RECIPES: RecipeCatalog = {
  "ring-mlp": () => require("./ring-mlp").recipe,
  "reference-classifier": () => require("./reference-classifier").recipe,
  "vae-mnist": () => require("./vae-mnist").recipe,
  "sagan-mnist": () => require("./sagan-mnist").recipes["sagan-mnist"],
  "sagan-mnist-no-attention": () => require("./sagan-mnist").recipes["sagan-mnist-no-attention"],
  "sagan-mnist-no-sn": () => require("./sagan-mnist").recipes["sagan-mnist-no-sn"],
  "sagan-mnist-no-ttur": () => require("./sagan-mnist").recipes["sagan-mnist-no-ttur"],
  "dcgan-mnist-small": () => require("./sagan-mnist").recipes["dcgan-mnist-small"],
  "mode-collapse-ring": () => require("./mode-collapse").recipes["mode-collapse-ring"],
  "mode-collapse-grid": () => require("./mode-collapse").recipes["mode-collapse-grid"],
  "dcgan-mnist": () => require("./dcgan-mnist").recipes["dcgan-mnist"],
  "dcgan-mnist-mbd": () => require("./dcgan-mnist").recipes["dcgan-mnist-mbd"],
  "cgan-mnist": () => require("./cgan-mnist").recipe,
  "acgan-mnist": () => require("./acgan-mnist").recipe,
  "infogan-mnist": () => require("./infogan-mnist").recipe,
  "pix2pix-digits": () => require("./pix2pix-digits").recipes["pix2pix-digits"],
  "l1-digits": () => require("./pix2pix-digits").recipes["l1-digits"],
  "pix2pix-superres": () => require("./pix2pix-digits").recipes["pix2pix-superres"],
  "l1-superres": () => require("./pix2pix-digits").recipes["l1-superres"],
  "cyclegan-digits": () => require("./cyclegan-digits").recipes["cyclegan-digits"],
  "cyclegan-digits-nocycle": () => require("./cyclegan-digits").recipes["cyclegan-digits-nocycle"],
  "cyclegan-digits-dense": () => require("./cyclegan-digits").recipes["cyclegan-digits-dense"],
  "cyclegan-digits-dense-nocycle": () => require("./cyclegan-digits").recipes["cyclegan-digits-dense-nocycle"],
};

export * from "./conditional-evaluation";
export * from "./translation-evaluation";

export function getRecipe(name: string): TrainingRecipe {
  const load = RECIPES[name];
  if (!load) throw new Error(`No training recipe named "${name}". Known: ${Object.keys(RECIPES).sort().join(", ")}`);
  return load();
}

export function recipeNames(): string[] {
  return Object.keys(RECIPES).sort();
}
