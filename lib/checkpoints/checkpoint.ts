/**
 * Checkpoints of trained models, shipped under data/checkpoints/NAME/ so lessons can show a model
 * that took longer to train than a lesson may spend.
 *
 *   data/checkpoints/NAME/
 *     state.json          { name, step, seed, wallSeconds, backend, batchSize, savedAt }
 *     metrics.json        measured after training (FID, accuracy, ... as the recipe defines)
 *     models/<model>/     model.json + weights.bin for each network (generator, discriminator, ...)
 *     optimizers/<opt>    optimizer state (Adam moments), so training can resume exactly
 *
 * A missing or corrupt checkpoint is an error naming the file and the command that rebuilds it.
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadModel, loadTensors, readModelArtifacts, saveModel, saveTensors } from "./model-files";
import { dataDir } from "../paths";

export interface CheckpointState {
  name: string;
  /** Training steps done (generator steps for GANs). */
  step: number;
  seed: number;
  wallSeconds: number;
  backend: string;
  batchSize: number;
  savedAt: string;
}

export interface Checkpoint {
  state: CheckpointState;
  metrics: Record<string, unknown>;
  models: Record<string, tf.LayersModel>;
}

/** <repo>/data/checkpoints, found from lib's own location; $GAN_COURSE_CHECKPOINTS overrides. */
export function checkpointsRoot(): string {
  return process.env.GAN_COURSE_CHECKPOINTS || path.join(dataDir(), "checkpoints");
}

export function checkpointDir(name: string, root = checkpointsRoot()): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`checkpoint name "${name}": use lowercase letters, digits and dashes`);
  return path.join(root, name);
}

const rebuildHint = (name: string) => `Rebuild it with: npm run train -- ${name}`;

/** Write a checkpoint (atomically: into a temporary folder, then renamed over the old one). */
export async function saveCheckpoint(
  dir: string,
  parts: { state: CheckpointState; models: Record<string, tf.LayersModel>; optimizers?: Record<string, tf.Optimizer>; metrics?: Record<string, unknown> },
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const [name, model] of Object.entries(parts.models)) await saveModel(model, path.join(tmp, "models", name));
  for (const [name, opt] of Object.entries(parts.optimizers ?? {})) {
    const weights = await opt.getWeights();
    await saveTensors(weights.map((w, i) => ({ name: `${i}:${w.name}`, tensor: w.tensor })), path.join(tmp, "optimizers", name));
  }
  fs.writeFileSync(path.join(tmp, "state.json"), JSON.stringify(parts.state, null, 2) + "\n");
  fs.writeFileSync(path.join(tmp, "metrics.json"), JSON.stringify(parts.metrics ?? {}, null, 2) + "\n");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
}

function readJson(file: string, hint: string): any {
  if (!fs.existsSync(file)) throw new Error(`${file}: missing. ${hint}`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new Error(`${file}: corrupt (not valid JSON). ${hint}`);
  }
}

/** Load a checkpoint by name (from data/checkpoints) or by directory. */
export async function loadCheckpoint(nameOrDir: string): Promise<Checkpoint> {
  const dir = nameOrDir.includes(path.sep) ? nameOrDir : checkpointDir(nameOrDir);
  const name = path.basename(dir);
  const hint = rebuildHint(name);
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no such checkpoint. ${hint}`);
  const state = readJson(path.join(dir, "state.json"), hint) as CheckpointState;
  const metrics = readJson(path.join(dir, "metrics.json"), hint);
  const modelsDir = path.join(dir, "models");
  if (!fs.existsSync(modelsDir)) throw new Error(`${modelsDir}: missing. ${hint}`);
  const models: Record<string, tf.LayersModel> = {};
  for (const m of fs.readdirSync(modelsDir).sort()) models[m] = await loadModel(path.join(modelsDir, m), hint);
  return { state, metrics, models };
}

/**
 * Restore weights and optimizer state into freshly built models (same architecture, same build
 * order), for resuming training. Returns the saved state.
 */
export async function restoreInto(dir: string, models: Record<string, tf.LayersModel>, optimizers: Record<string, tf.Optimizer> = {}): Promise<CheckpointState> {
  const hint = rebuildHint(path.basename(dir));
  const state = readJson(path.join(dir, "state.json"), hint) as CheckpointState;
  for (const [name, model] of Object.entries(models)) {
    const artifacts = readModelArtifacts(path.join(dir, "models", name), hint);
    const weights = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    const values = artifacts.weightSpecs!.map((s) => weights[s.name]);
    if (values.length !== model.weights.length) {
      throw new Error(`${path.join(dir, "models", name)}: has ${values.length} weights, the model being resumed has ${model.weights.length}. ${hint}`);
    }
    model.setWeights(values);
    tf.dispose(Object.values(weights));
  }
  for (const [name, opt] of Object.entries(optimizers)) {
    const file = path.join(dir, "optimizers", name);
    if (!fs.existsSync(`${file}.json`)) {
      // A finished checkpoint is saved without optimizer state: continue with fresh moments.
      console.warn(`${file}: no optimizer state saved; continuing with a fresh optimizer`);
      continue;
    }
    const saved = loadTensors(file, hint);
    const ordered = Object.keys(saved)
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((k) => ({ name: k.slice(k.indexOf(":") + 1), tensor: saved[k] }));
    await opt.setWeights(ordered);
  }
  return state;
}
