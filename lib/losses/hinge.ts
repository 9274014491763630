/**
 * Hinge loss (Lim & Ye 2017; Miyato et al. 2018; used by SAGAN, Zhang et al. 2018):
 *   L_D = E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]
 *   L_G = −E[D(G(z))]
 */
import * as tf from "@tensorflow/tfjs";
import { GanLoss } from "./types";

export const hingeLoss: GanLoss = {
  name: "hinge",
  discriminator: (dReal, dFake) =>
    tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, dReal))), tf.mean(tf.relu(tf.add(1, dFake)))) as tf.Scalar),
  generator: (dFake) => tf.tidy(() => tf.neg(tf.mean(dFake)) as tf.Scalar),
};
