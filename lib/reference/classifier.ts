/**
 * The reference MNIST classifier: the course's measuring instrument.
 *
 * A small conv net trained once on the training split (recipe "reference-classifier",
 * `npm run train -- reference-classifier`) and shipped under data/checkpoints/reference-classifier.
 * Its class probabilities score conditional generators (accuracy) and the Inception-style score;
 * its 128-d penultimate layer is the embedding for FID, precision/recall and MMD — the role
 * Inception-v3 plays on ImageNet (Heusel et al. 2017), scaled to MNIST.
 */
import * as tf from "@tensorflow/tfjs";
import { loadCheckpoint } from "../checkpoints/checkpoint";
import { extractFeatures } from "../metrics/features";
import { fid as fidOfFeatures } from "../metrics/frechet";

export const REFERENCE_CHECKPOINT = "reference-classifier";
export const FEATURE_LAYER = "features";
export const FEATURE_DIM = 128;

/** [N, 28, 28, 1] in [-1, 1] → logits [N, 10]; the layer named "features" is the embedding. */
export function referenceClassifierModel(): tf.LayersModel {
  const x = tf.input({ shape: [28, 28, 1] }); // [batch, 28, 28, 1]
  let h = tf.layers.conv2d({ filters: 32, kernelSize: 5, strides: 2, padding: "same", activation: "relu" }).apply(x) as tf.SymbolicTensor; // [batch, 14, 14, 32]
  h = tf.layers.conv2d({ filters: 64, kernelSize: 5, strides: 2, padding: "same", activation: "relu" }).apply(h) as tf.SymbolicTensor; // [batch, 7, 7, 64]
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor; // [batch, 3136]
  h = tf.layers.dense({ units: FEATURE_DIM, activation: "relu", name: FEATURE_LAYER }).apply(h) as tf.SymbolicTensor; // [batch, 128]
  h = tf.layers.dropout({ rate: 0.3 }).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 10, name: "logits" }).apply(h) as tf.SymbolicTensor; // [batch, 10]
  return tf.model({ inputs: x, outputs: logits, name: "reference_classifier" });
}

function checkImages(images: tf.Tensor, what: string): void {
  const s = images.shape;
  if (s.length !== 4 || s[1] !== 28 || s[2] !== 28 || s[3] !== 1) {
    throw new Error(`reference classifier ${what}: expected images [N, 28, 28, 1] in [-1, 1], got shape [${s.join(", ")}]`);
  }
}

export class ReferenceClassifier {
  private readonly featureModel: tf.LayersModel;

  constructor(readonly model: tf.LayersModel) {
    this.featureModel = tf.model({ inputs: model.inputs, outputs: model.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor });
  }

  /** Penultimate-layer embedding [N, 128], computed in batches. */
  features(images: tf.Tensor, batchSize = 500): tf.Tensor2D {
    checkImages(images, "features");
    return extractFeatures((x) => this.featureModel.predict(x) as tf.Tensor2D, images as tf.Tensor4D, batchSize);
  }

  /** Class probabilities [N, 10]. */
  probabilities(images: tf.Tensor, batchSize = 500): tf.Tensor2D {
    checkImages(images, "probabilities");
    return extractFeatures((x) => tf.softmax(this.model.predict(x) as tf.Tensor2D), images as tf.Tensor4D, batchSize);
  }

  /** Predicted digit of each image. */
  predict(images: tf.Tensor): Int32Array {
    const probs = this.probabilities(images);
    const labels = tf.argMax(probs, 1);
    const out = Int32Array.from(labels.dataSync());
    tf.dispose([probs, labels]);
    return out;
  }

  /** Fraction of images classified as their label. */
  accuracy(images: tf.Tensor, labels: tf.Tensor1D | ArrayLike<number>): number {
    const predicted = this.predict(images);
    const truth = labels instanceof tf.Tensor ? labels.dataSync() : labels;
    let right = 0;
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) right++;
    return right / predicted.length;
  }

  /** FID between two image sets, on this classifier's features. */
  fid(imagesA: tf.Tensor, imagesB: tf.Tensor): number {
    const fa = this.features(imagesA);
    const fb = this.features(imagesB);
    try {
      return fidOfFeatures(fa, fb);
    } finally {
      tf.dispose([fa, fb]);
    }
  }
}

let cached: ReferenceClassifier | null = null;

/** Load the shipped reference classifier (cached per process). */
export async function loadClassifier(): Promise<ReferenceClassifier> {
  if (!cached) {
    const ckpt = await loadCheckpoint(REFERENCE_CHECKPOINT);
    const model = ckpt.models.classifier;
    if (!model) throw new Error(`checkpoint ${REFERENCE_CHECKPOINT} has no "classifier" model. Rebuild it with: npm run train -- ${REFERENCE_CHECKPOINT}`);
    cached = new ReferenceClassifier(model);
  }
  return cached;
}
