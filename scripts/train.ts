/**
 * `npm run train -- NAME`: train a named recipe from lib/recipes and save its checkpoint under
 * data/checkpoints/NAME/ (state.json, metrics.json, models/, optimizers/).
 *
 * Seeded; shows a progress bar (step, losses, images/s); resumable: an existing checkpoint is
 * continued from its last saved step unless --fresh is given. Saves every `checkpointEvery` steps
 * and on Ctrl-C.
 */
import * as path from "path";
import { Command } from "commander";
import { SingleBar } from "cli-progress";
import { reseed, setupLesson } from "../lib/setup";
import { checkpointDir, restoreInto, saveCheckpoint, CheckpointState } from "../lib/checkpoints";
import { getRecipe, recipeNames } from "../lib/recipes";
import * as fs from "fs";

const program = new Command()
  .name("train")
  .description("Train a named model and save its checkpoint under data/checkpoints/NAME")
  .argument("[name]", "recipe name (see --list)")
  .option("--steps <n>", "total steps to reach (default: the recipe's)", (v) => parseInt(v, 10))
  .option("--fresh", "ignore an existing checkpoint and start again")
  .option("--root <dir>", "checkpoints folder (default data/checkpoints)")
  .option("--list", "list the recipes")
  .option("--no-progress", "print a line per save instead of a progress bar")
  .option("--keep-optimizer", "keep the optimizer state in the final checkpoint too (bigger; intermediate saves always keep it)")
  .parse();

async function main(): Promise<void> {
  const opts = program.opts<{ steps?: number; fresh?: boolean; root?: string; list?: boolean; progress: boolean; keepOptimizer?: boolean }>();
  const name = program.args[0];
  if (opts.list || !name) {
    for (const n of recipeNames()) console.log(`${n.padEnd(24)} ${getRecipe(n).description}`);
    if (!name && !opts.list) process.exitCode = 1;
    return;
  }
  const recipe = getRecipe(name);
  const total = opts.steps ?? recipe.steps;
  const dir = opts.root ? path.join(opts.root, name) : checkpointDir(name);
  const setup = await setupLesson({ seed: recipe.seed });
  const run = await recipe.create();

  let step = 0;
  let wallSeconds = 0;
  if (!opts.fresh && fs.existsSync(path.join(dir, "state.json"))) {
    const state = await restoreInto(dir, run.models, run.optimizers);
    step = state.step;
    wallSeconds = state.wallSeconds;
    console.log(`resuming ${name} from step ${step} (${dir})`);
    reseed(recipe.seed + step); // fresh, reproducible noise for the continued run
  }

  const stateAt = (): CheckpointState => ({
    name, step, seed: recipe.seed, wallSeconds: Math.round(wallSeconds * 10) / 10, backend: setup.name, batchSize: run.batchSize, savedAt: new Date().toISOString(),
  });
  const save = async (metrics?: Record<string, unknown>, withOptimizers = true) =>
    saveCheckpoint(dir, { state: stateAt(), models: run.models, optimizers: withOptimizers ? run.optimizers : undefined, metrics });

  let interrupted = false;
  process.on("SIGINT", () => (interrupted = true));
  const bar = opts.progress && process.stdout.isTTY
    ? new SingleBar({ format: `${name} |{bar}| {value}/{total} | {losses} | {ips} img/s | ETA {eta_formatted}`, hideCursor: true })
    : null;
  bar?.start(total, step, { losses: "", ips: "—" });
  let windowStart = Date.now();
  let windowSteps = 0;
  while (step < total && !interrupted) {
    const t0 = Date.now();
    const metrics = run.step();
    wallSeconds += (Date.now() - t0) / 1000;
    step++;
    windowSteps++;
    const ips = (windowSteps * run.batchSize * 1000) / Math.max(1, Date.now() - windowStart);
    if (Date.now() - windowStart > 5000) {
      windowStart = Date.now();
      windowSteps = 0;
    }
    const losses = Object.entries(metrics).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(" ");
    bar?.update(step, { losses, ips: ips.toFixed(0) });
    if (step % recipe.checkpointEvery === 0 && step < total) {
      await save();
      if (!bar) console.log(`step ${step}/${total}  ${losses}  ${ips.toFixed(0)} img/s  saved`);
    }
  }
  bar?.stop();
  if (interrupted) {
    await save();
    console.log(`interrupted at step ${step}: saved; run the same command again to resume`);
    process.exitCode = 130;
    return;
  }
  const t0 = Date.now();
  const measured = run.evaluate ? await run.evaluate() : {};
  const metrics = { steps: step, seed: recipe.seed, wallSeconds: Math.round(wallSeconds * 10) / 10, backend: setup.name, evaluationSeconds: (Date.now() - t0) / 1000, ...measured };
  // The finished checkpoint is committed: without optimizer state unless asked (a third of the size).
  await save(metrics, Boolean(opts.keepOptimizer));
  console.log(`${name}: ${step} steps in ${wallSeconds.toFixed(1)} s on ${setup.name}; saved to ${dir}`);
  console.log(JSON.stringify(measured));
  run.dispose?.();
}

main().catch((e) => {
  console.error(`train: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
