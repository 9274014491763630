/**
 * Saving and loading tfjs models and named tensors to a directory, without @tensorflow/tfjs-node
 * (whose `file://` handler is not available offline).
 *
 * Layout of a saved model: `<dir>/model.json` (topology + weights manifest, the standard tfjs
 * format, so `tf.loadLayersModel` of tfjs-node could read it too) and `<dir>/weights.bin`.
 * Every error names the file and what is wrong with it.
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/** Save a LayersModel (topology and weights) into `dir`, creating it. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = toArrayBuffer(artifacts.weightData ?? new ArrayBuffer(0));
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (gan-course)`,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      fs.writeFileSync(path.join(dir, WEIGHTS_BIN), Buffer.from(weights));
      fs.writeFileSync(path.join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Read the artifacts of a model saved by `saveModel`, checking every file. */
export function readModelArtifacts(dir: string, hint = ""): tf.io.ModelArtifacts {
  const jsonPath = path.join(dir, MODEL_JSON);
  const binPath = path.join(dir, WEIGHTS_BIN);
  const suffix = hint ? ` ${hint}` : "";
  if (!fs.existsSync(jsonPath)) throw new Error(`${jsonPath}: missing.${suffix}`);
  if (!fs.existsSync(binPath)) throw new Error(`${binPath}: missing.${suffix}`);
  let json: { modelTopology?: object; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, "utf8"));
  } catch (e) {
    throw new Error(`${jsonPath}: corrupt (not valid JSON: ${(e as Error).message}).${suffix}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${jsonPath}: corrupt (no modelTopology or weightsManifest).${suffix}`);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const bytes = fs.readFileSync(binPath);
  const expected = weightSpecs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (w.dtype === "int32" || w.dtype === "float32" ? 4 : 1), 0);
  if (bytes.length !== expected) throw new Error(`${binPath}: corrupt (${bytes.length} bytes, the manifest needs ${expected}).${suffix}`);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { modelTopology: json.modelTopology, weightSpecs, weightData };
}

/** Load a LayersModel saved by `saveModel`. Custom layers must be registered (importing lib does that). */
export async function loadModel(dir: string, hint = ""): Promise<tf.LayersModel> {
  const artifacts = readModelArtifacts(dir, hint);
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Save named tensors (e.g. optimizer state) as `<file>.json` + `<file>.bin`. */
export async function saveTensors(tensors: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[], file: string): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.bin`, Buffer.from(toArrayBuffer(data)));
  fs.writeFileSync(`${file}.json`, JSON.stringify(specs));
}

/** Load tensors saved by `saveTensors`. */
export function loadTensors(file: string, hint = ""): tf.NamedTensorMap {
  const suffix = hint ? ` ${hint}` : "";
  for (const f of [`${file}.json`, `${file}.bin`]) if (!fs.existsSync(f)) throw new Error(`${f}: missing.${suffix}`);
  let specs: tf.io.WeightsManifestEntry[];
  try {
    specs = JSON.parse(fs.readFileSync(`${file}.json`, "utf8"));
  } catch (e) {
    throw new Error(`${file}.json: corrupt (not valid JSON).${suffix}`);
  }
  const bytes = fs.readFileSync(`${file}.bin`);
  try {
    return tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  } catch (e) {
    throw new Error(`${file}.bin: corrupt (${(e as Error).message}).${suffix}`);
  }
}
