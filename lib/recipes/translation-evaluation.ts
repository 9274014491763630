/**
 * The evaluation protocol of the image-to-image translators of lesson 09 (pix2pix, L1 regression,
 * CycleGAN with and without the cycle loss), on the paired held-out digits of lib/data/domains,
 * where the right answer of every translation is known:
 *
 *   l1ToTruth          mean |translate(s) − t| per pixel against the ground-truth translation t;
 *   labelPreservation  fraction of images the reference classifier reads as the same digit before
 *                      and after translation (Zhu et al. 2017 judge label/semantic preservation
 *                      the same way, with an FCN score on Cityscapes);
 *   accuracy           fraction of translations read as the image's true label;
 *   fid                Fréchet distance of the translations to the real targets (classifier features);
 *   greyFraction       fraction of pixels in the undecided middle |x| < 0.5 (ink is +1, paper −1):
 *                      a blurry translator hedges between ink and paper and leaves many grey pixels;
 *   cycleError         (CycleGAN) mean |F(G(s)) − s| per pixel;
 *   spread             mean over pixels of the standard deviation across the translations: 0 when
 *                      the translator ignores its input and draws one image for all (mode collapse).
 */
import * as tf from "@tensorflow/tfjs";
import { conditionalAccuracy, labelPreservation } from "../metrics/classifier-accuracy";
import { translate } from "../models/unet";
import { loadClassifier } from "../reference/classifier";

export interface TranslationEvaluation {
  l1ToTruth: number;
  labelPreservation: number;
  accuracy: number;
  fid: number;
  greyFraction: number;
  cycleError?: number;
  spread: number;
  n: number;
}

/** Fraction of pixels with |x| < threshold (undecided between paper −1 and ink +1). */
export function greyFraction(images: tf.Tensor, threshold = 0.5): number {
  return tf.tidy(() => tf.mean(tf.cast(tf.less(tf.abs(images), threshold), "float32")).dataSync()[0]);
}

/** Mean over pixels of the standard deviation across images [N, h, w, c]: how much the images differ. */
export function pixelSpread(images: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.sqrt(tf.moments(images, 0).variance)).dataSync()[0]);
}

/**
 * Measure `translator` on held-out `source` images against their known `target` translations
 * and true `labels`. With `inverse` (CycleGAN's other translator), also the cycle error.
 */
export async function evaluateTranslation(
  translator: tf.LayersModel, source: tf.Tensor, target: tf.Tensor, labels: tf.Tensor1D,
  options: { inverse?: tf.LayersModel } = {},
): Promise<TranslationEvaluation> {
  const clf = await loadClassifier();
  const out = translate(translator, source);
  try {
    const before = clf.predict(source);
    const after = clf.predict(out);
    const result: TranslationEvaluation = {
      l1ToTruth: tf.tidy(() => tf.mean(tf.abs(tf.sub(out, target))).dataSync()[0]),
      labelPreservation: labelPreservation(before, after),
      accuracy: conditionalAccuracy(after, labels),
      fid: clf.fid(out, target),
      greyFraction: greyFraction(out),
      spread: pixelSpread(out),
      n: source.shape[0],
    };
    if (options.inverse) {
      const back = translate(options.inverse, out);
      result.cycleError = tf.tidy(() => tf.mean(tf.abs(tf.sub(back, source))).dataSync()[0]);
      back.dispose();
    }
    return result;
  } finally {
    out.dispose();
  }
}

/**
 * A CycleGAN's two translators G: A → B and F: B → A on held-out pairs (b = T(a)), both directions,
 * each with its cycle error through the other translator.
 */
export async function evaluateCycleGan(
  generatorAB: tf.LayersModel, generatorBA: tf.LayersModel, test: { a: tf.Tensor; b: tf.Tensor; labels: tf.Tensor1D },
): Promise<{ aToB: TranslationEvaluation; bToA: TranslationEvaluation }> {
  return {
    aToB: await evaluateTranslation(generatorAB, test.a, test.b, test.labels, { inverse: generatorBA }),
    bToA: await evaluateTranslation(generatorBA, test.b, test.a, test.labels, { inverse: generatorAB }),
  };
}
