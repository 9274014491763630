/**
 * Evaluation metrics for GANs: every lesson claim that one GAN is better than another goes
 * through one of these.
 *   frechet           — FID-style Fréchet distance between fitted Gaussians (Heusel et al. 2017)
 *   inception-score   — Inception Score from class probabilities (Salimans et al. 2016)
 *   precision-recall  — improved precision & recall, k-NN balls (Kynkäänniemi et al. 2019)
 *   mmd               — kernel MMD², unbiased and biased (Gretton et al. 2012)
 *   mode-coverage     — modes captured / high-quality samples / reverse KL (VEEGAN, PacGAN)
 *   classifier-accuracy — conditional accuracy, label preservation, Hungarian-matched accuracy
 *   features          — the FeatureExtractor interface and a leak-free batched extractor
 */
export * from "./points";
export * from "./features";
export * from "./distances";
export * from "./frechet";
export * from "./inception-score";
export * from "./precision-recall";
export * from "./mmd";
export * from "./mode-coverage";
export * from "./classifier-accuracy";
