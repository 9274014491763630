/**
 * Eigenvalues and spectral radius of an update matrix (ml-matrix's eigenvalue decomposition).
 *
 * Why: near an equilibrium every update rule is (to first order) p_{t+1} − p* = M (p_t − p*). The
 * distance to p* then shrinks or grows like ρ(M)^t, where the spectral radius ρ(M) = max |λ_i|:
 * ρ < 1 converges, ρ = 1 circles forever, ρ > 1 spirals away (Mescheder et al. 2017, 2018).
 */
import { EigenvalueDecomposition, Matrix as MlMatrix } from "ml-matrix";
import { Matrix } from "./game";

export interface Complex {
  re: number;
  im: number;
}

/** The eigenvalues of a square matrix (complex in general). */
export function eigenvalues(m: Matrix): Complex[] {
  if (m.length === 0 || m.some((row) => row.length !== m.length)) throw new Error(`eigenvalues: need a square matrix, got ${m.length} rows of lengths [${m.map((r) => r.length)}]`);
  const evd = new EigenvalueDecomposition(new MlMatrix(m), { assumeSymmetric: false });
  return evd.realEigenvalues.map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i] }));
}

/** ρ(M) = max |λ|. */
export function spectralRadius(m: Matrix): number {
  return Math.max(...eigenvalues(m).map(({ re, im }) => Math.hypot(re, im)));
}
