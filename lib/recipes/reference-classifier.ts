/**
 * Recipe "reference-classifier": trains the course's measuring instrument (lib/reference) on the
 * training split of MNIST, with random shifts of up to 2 pixels as augmentation, Adam 1e-3,
 * batch 64. Evaluated on the held-out split (goal: test accuracy ≥ 98%).
 */
import * as tf from "@tensorflow/tfjs";
import { TrainingRecipe } from "../checkpoints/recipes";
import { batchSampler } from "../data/batches";
import { loadMnist } from "../data/mnist";
import { createRng } from "../random";
import { ReferenceClassifier, referenceClassifierModel } from "../reference/classifier";

/** Shift every image of a batch by the same random (dy, dx) in [-max, max], filling with -1 (background). */
export function randomShift(images: tf.Tensor4D, max: number, rng: { int(n: number): number }): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = images.shape;
    const padded = tf.pad(images, [[0, 0], [max, max], [max, max], [0, 0]], -1); // [b, h+2m, w+2m, 1]
    const dy = rng.int(2 * max + 1);
    const dx = rng.int(2 * max + 1);
    return tf.slice(padded, [0, dy, dx, 0], [-1, h, w, -1]) as tf.Tensor4D;
  });
}

export const recipe: TrainingRecipe = {
  name: "reference-classifier",
  description: "Reference MNIST conv classifier (features for FID; accuracy of generated digits)",
  seed: 0,
  steps: 2500,
  checkpointEvery: 500,
  async create() {
    const mnist = loadMnist();
    const model = referenceClassifierModel();
    const optimizer = tf.train.adam(1e-3);
    const rng = createRng(0);
    const sample = batchSampler(mnist.train.images, mnist.train.labels, rng);
    const batchSize = 64;
    return {
      models: { classifier: model },
      optimizers: { classifier: optimizer },
      batchSize,
      step() {
        const batch = sample(batchSize);
        const x = randomShift(batch.x as tf.Tensor4D, 2, rng);
        const loss = optimizer.minimize(() => {
          const logits = model.apply(x, { training: true }) as tf.Tensor2D; // [batch, 10]
          return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.labels!, 10), logits) as tf.Scalar;
        }, true)!;
        const value = loss.dataSync()[0];
        tf.dispose([batch.x, batch.labels!, x, loss]);
        return { loss: value };
      },
      async evaluate() {
        const clf = new ReferenceClassifier(model);
        const testAccuracy = clf.accuracy(mnist.test.images, mnist.test.labels);
        const trainAccuracy = clf.accuracy(mnist.train.images, mnist.train.labels);
        const n = mnist.test.images.shape[0];
        const trainSubset = mnist.train.images.slice([0, 0, 0, 0], [n, -1, -1, -1]);
        const fidRealVsHeldOut = clf.fid(trainSubset, mnist.test.images);
        trainSubset.dispose();
        return { testAccuracy, trainAccuracy, testSize: n, trainSize: mnist.train.images.shape[0], fidRealVsHeldOut, source: mnist.source };
      },
    };
  },
};
