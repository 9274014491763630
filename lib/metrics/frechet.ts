/**
 * Fréchet distance between Gaussians fitted to two feature sets — the FID of Heusel et al. 2017
 * ("GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium", eq. 6):
 *
 *   d²((μ₁, Σ₁), (μ₂, Σ₂)) = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2})
 *
 * (the 2-Wasserstein distance between the two Gaussians; Dowson & Landau 1982). With Inception
 * pool3 features this is FID; in this course the features come from a small MNIST classifier, so
 * numbers are comparable between our runs but NOT with published FIDs.
 *
 * Numerics: Σ₁Σ₂ is not symmetric, and a general matrix square root (scipy's `sqrtm` in the
 * reference code) can return complex or NaN values on singular covariances. We use the identity
 *   Tr((Σ₁Σ₂)^{1/2}) = Tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}),
 * where Σ₁^{1/2} Σ₂ Σ₁^{1/2} is symmetric PSD, so only symmetric eigen-decompositions
 * (ml-matrix's EVD) are needed; tiny negative eigenvalues from round-off are clamped to 0, which
 * makes singular covariances (fewer samples than dimensions) harmless. Like the reference
 * implementation (pytorch-fid / TTUR `calculate_frechet_distance`), if the result is nevertheless
 * non-finite we retry once with ε·I added to both covariances.
 */
import { EigenvalueDecomposition, Matrix, covariance } from "ml-matrix";
import { Points, toRows } from "./points";

/** Mean and covariance of a feature set (covariance with the unbiased 1/(n−1), as numpy.cov). */
export interface GaussianStats {
  mean: number[]; // [d]
  cov: number[][]; // [d, d]
  /** Number of samples the statistics were computed from (informational). */
  n?: number;
}

export interface FrechetConfig {
  /** Offset added to both diagonals if the first attempt is non-finite. Default 1e-6 (as pytorch-fid). */
  eps?: number;
}

export interface FrechetResult {
  /** The Fréchet distance d² (what papers call FID when the features are Inception's). */
  distance: number;
  /** ‖μ₁ − μ₂‖²: how far apart the means are. */
  meanTerm: number;
  /** Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}): how different the spreads are. */
  covTerm: number;
  /** True if the ε·I fallback was needed. */
  offsetApplied: boolean;
}

/** Fit a Gaussian to features [n, d] (n ≥ 2). */
export function gaussianStats(features: Points): GaussianStats {
  const rows = toRows(features, "gaussianStats");
  const n = rows.length;
  if (n < 2) throw new Error(`gaussianStats: need at least 2 samples, got ${n}`);
  const x = new Matrix(rows); // [n, d]
  const mean = x.mean("column"); // [d]
  const cov = covariance(x); // [d, d], centred, divided by n − 1
  return { mean, cov: cov.to2DArray(), n };
}

/** Eigenvalues/vectors of a symmetric matrix (symmetrised first to remove round-off asymmetry). */
function symmetricEig(m: Matrix): { values: number[]; vectors: Matrix } {
  const sym = m.clone().add(m.transpose()).div(2); // ml-matrix ops mutate: work on a copy
  const evd = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  return { values: evd.realEigenvalues, vectors: evd.eigenvectorMatrix };
}

/** Square root of a symmetric PSD matrix via its eigen-decomposition (negative eigenvalues → 0). */
export function sqrtSymmetricPsd(m: Matrix): Matrix {
  const { values, vectors } = symmetricEig(m);
  const root = values.map((v) => Math.sqrt(Math.max(v, 0)));
  // V diag(√λ) Vᵀ
  return vectors.clone().mulRowVector(root).mmul(vectors.transpose());
}

/** Tr((A B)^{1/2}) for symmetric PSD A, B, computed as Tr((√A B √A)^{1/2}). */
export function traceSqrtProduct(a: Matrix, b: Matrix): number {
  const ra = sqrtSymmetricPsd(a);
  const { values } = symmetricEig(ra.mmul(b).mmul(ra));
  return values.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
}

function checkStats(s: GaussianStats, what: string): void {
  const d = s.mean.length;
  if (s.cov.length !== d || s.cov.some((r) => r.length !== d)) {
    throw new Error(`${what}: covariance must be ${d}×${d} to match the mean`);
  }
  if (s.mean.some((v) => !Number.isFinite(v)) || s.cov.some((r) => r.some((v) => !Number.isFinite(v)))) {
    throw new Error(`${what}: statistics contain non-finite values`);
  }
}

/** The Fréchet distance with its two terms. */
export function frechetDistanceDetailed(a: GaussianStats, b: GaussianStats, config: FrechetConfig = {}): FrechetResult {
  checkStats(a, "frechetDistance(statsA)");
  checkStats(b, "frechetDistance(statsB)");
  if (a.mean.length !== b.mean.length) {
    throw new Error(`frechetDistance: dimensions differ (${a.mean.length} vs ${b.mean.length})`);
  }
  const eps = config.eps ?? 1e-6;
  const meanTerm = a.mean.reduce((s, m, i) => s + (m - b.mean[i]) ** 2, 0);
  const s1 = new Matrix(a.cov);
  const s2 = new Matrix(b.cov);
  const tr1 = s1.trace();
  const tr2 = s2.trace();
  let trSqrt = traceSqrtProduct(s1, s2);
  let offsetApplied = false;
  let covTerm = tr1 + tr2 - 2 * trSqrt;
  if (!Number.isFinite(covTerm)) {
    const offset = Matrix.eye(a.mean.length).mul(eps);
    trSqrt = traceSqrtProduct(s1.clone().add(offset), s2.clone().add(offset));
    covTerm = tr1 + tr2 + 2 * eps * a.mean.length - 2 * trSqrt;
    offsetApplied = true;
  }
  // Round-off can leave a tiny negative number when the Gaussians coincide; d² ≥ 0 in exact math.
  const distance = Math.max(meanTerm + covTerm, 0);
  return { distance, meanTerm, covTerm, offsetApplied };
}

/** d²((μ₁, Σ₁), (μ₂, Σ₂)) = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{1/2}). */
export function frechetDistance(a: GaussianStats, b: GaussianStats, config: FrechetConfig = {}): number {
  return frechetDistanceDetailed(a, b, config).distance;
}

/** Fréchet distance between Gaussians fitted to two feature sets [n, d] (FID on our features). */
export function fid(featuresA: Points, featuresB: Points, config: FrechetConfig = {}): number {
  return frechetDistance(gaussianStats(featuresA), gaussianStats(featuresB), config);
}
