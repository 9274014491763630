/**
 * The one evaluation protocol of the MNIST generators of lessons 10 and 11 (SAGAN, its ablations,
 * the DCGAN baseline, the VAE): n generated images against the n held-out digits, measured in the
 * reference classifier's 128-d feature space (lib/reference):
 *
 *   fid                 Fréchet distance of the fitted Gaussians (Heusel et al. 2017; lower is better)
 *   precision, recall   improved precision/recall with k = 3 (Kynkäänniemi et al. 2019): quality vs coverage
 *   inceptionScore      exp E[KL(p(y|x) ‖ p(y))] of the classifier's probabilities (Salimans et al. 2016)
 *   classesCovered, klToUniform, histogram   the digit classes the samples fall into
 *
 * The numbers are comparable between our models only (the features are not Inception's).
 */
import * as tf from "@tensorflow/tfjs";
import { classCoverage } from "../metrics/mode-coverage";
import { fid } from "../metrics/frechet";
import { inceptionScore } from "../metrics/inception-score";
import { precisionRecall } from "../metrics/precision-recall";
import { loadClassifier } from "../reference/classifier";

export interface ImageSetMetrics {
  fid: number;
  precision: number;
  recall: number;
  inceptionScore: number;
  classesCovered: number;
  klToUniform: number;
  histogram: number[];
  n: number;
}

/** Measure generated images [n, 28, 28, 1] in [-1, 1] against real ones (the caller keeps both). */
export async function evaluateImages(generated: tf.Tensor, real: tf.Tensor): Promise<ImageSetMetrics> {
  const clf = await loadClassifier();
  const fFake = clf.features(generated);
  const fReal = clf.features(real);
  const probs = clf.probabilities(generated);
  try {
    const pr = precisionRecall(fReal, fFake, { k: 3 });
    const labels = tf.tidy(() => tf.argMax(probs, 1));
    const coverage = classCoverage(Array.from(labels.dataSync()), 10);
    labels.dispose();
    return {
      fid: fid(fReal, fFake),
      precision: pr.precision,
      recall: pr.recall,
      inceptionScore: inceptionScore(probs).mean,
      classesCovered: coverage.classesCovered,
      klToUniform: coverage.klToUniform,
      histogram: coverage.histogram,
      n: generated.shape[0],
    };
  } finally {
    tf.dispose([fFake, fReal, probs]);
  }
}
