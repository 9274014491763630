/**
 * The variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes"; Rezende,
 * Mohamed & Wierstra 2014): an explicit-density generative model, the contrast to the GAN's
 * implicit one.
 *
 * A latent z ~ p(z) = N(0, I) generates x through the decoder p_θ(x | z). The likelihood
 * p(x) = ∫ p(z) p_θ(x | z) dz is intractable, so an encoder q_φ(z | x) = N(μ_φ(x), diag σ²_φ(x))
 * approximates the posterior, and training maximizes the evidence lower bound
 *
 *   log p(x) ≥ ELBO(x) = E_{z ~ q(z|x)}[log p_θ(x | z)] − KL(q_φ(z | x) ‖ N(0, I))
 *
 * (the gap is KL(q(z|x) ‖ p(z|x)) ≥ 0). Both terms are differentiable in φ thanks to the
 * reparameterization trick z = μ + σ ⊙ ε, ε ~ N(0, I): the randomness is moved into an input, so
 * gradients flow through μ and σ. The KL between two Gaussians has a closed form,
 *
 *   KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_k (μ_k² + σ_k² − 1 − log σ_k²).
 *
 * The encoder predicts log σ² (any real number, so σ² > 0 without constraints). The decoder and the
 * Bernoulli pixel likelihood are those of lib/models/autoencoder.ts. New digits: decode z ~ N(0, I).
 */
import * as tf from "@tensorflow/tfjs";
import { AutoencoderConfig, bernoulliNll, decodeImages, mlpDecoder, mlpEncoder } from "./autoencoder";

export interface Vae {
  encoder: tf.LayersModel; // x [batch, 28, 28, 1] → [mean [batch, latentDim], logVar [batch, latentDim]]
  decoder: tf.LayersModel; // z [batch, latentDim] → logits [batch, 28, 28, 1]
  latentDim: number;
}

/** A VAE with MLP encoder (two heads: mean and log-variance) and decoder. */
export function vae(config: AutoencoderConfig = {}): Vae {
  const latentDim = config.latentDim ?? 16;
  return {
    encoder: mlpEncoder({ hidden: config.hidden, imageShape: config.imageShape, heads: { mean: latentDim, logVar: latentDim }, name: "vae_encoder" }),
    decoder: mlpDecoder({ ...config, latentDim }),
    latentDim,
  };
}

/** The reparameterization trick: z = μ + exp(½ log σ²) ⊙ ε, with ε ~ N(0, I) unless given. */
export function reparameterize(mean: tf.Tensor, logVar: tf.Tensor, eps?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const noise = eps ?? tf.randomNormal(mean.shape);
    return tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), noise));
  });
}

/** KL(N(μ, diag exp(logVar)) ‖ N(0, I)) per example, in closed form → [batch]. */
export function gaussianKl(mean: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mean), tf.exp(logVar)), tf.add(1, logVar)), 1)) as tf.Tensor1D);
}

export interface ElboTerms {
  /** −ELBO averaged over the batch (the loss to minimize), in nats per image. */
  loss: tf.Scalar;
  /** E_q[−log p(x|z)] averaged over the batch (one sample of z per image). */
  reconstruction: tf.Scalar;
  /** KL(q(z|x) ‖ p(z)) averaged over the batch. */
  kl: tf.Scalar;
}

/**
 * The (negative) ELBO of a batch x [batch, 28, 28, 1] in [-1, 1], with one reparameterized sample
 * per image. `beta` weights the KL term (1 = the ELBO; β-VAE otherwise). Training mode.
 */
export function negativeElbo(model: Pick<Vae, "encoder" | "decoder">, x: tf.Tensor, beta = 1): ElboTerms {
  return tf.tidy(() => {
    const [mean, logVar] = model.encoder.apply(x, { training: true }) as tf.Tensor2D[]; // [batch, latentDim] each
    const z = reparameterize(mean, logVar);
    const logits = model.decoder.apply(z, { training: true }) as tf.Tensor;
    const reconstruction = tf.mean(bernoulliNll(logits, x)) as tf.Scalar;
    const kl = tf.mean(gaussianKl(mean, logVar)) as tf.Scalar;
    const loss = tf.add(reconstruction, tf.mul(beta, kl)) as tf.Scalar;
    return { loss, reconstruction, kl };
  });
}

/** New images from the prior: decode z ~ N(0, I) → [n, 28, 28, 1] in [-1, 1] (the decoder's means). */
export function sampleVae(model: Pick<Vae, "decoder">, n: number, z?: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const latentDim = model.decoder.inputs[0].shape[1] as number;
    return decodeImages(model.decoder, z ?? tf.randomNormal([n, latentDim]));
  });
}

/** Decode the straight line between two codes a, b [latentDim] in `steps` points → [steps, 28, 28, 1]. */
export function interpolateCodes(decoder: tf.LayersModel, a: tf.Tensor1D, b: tf.Tensor1D, steps: number): tf.Tensor4D {
  return tf.tidy(() => {
    const t = tf.reshape(tf.linspace(0, 1, steps), [steps, 1]); // [steps, 1]
    const z = tf.add(tf.mul(tf.sub(1, t), tf.reshape(a, [1, -1])), tf.mul(t, tf.reshape(b, [1, -1]))); // [steps, latentDim]
    return decodeImages(decoder, z);
  });
}
