/**
 * A sparse design matrix in compressed rows (most columns are one-hot zeros). Column 0 is the intercept and
 * every row carries it; within a row, columns ascend.
 */
export interface SparseRows {
  /** Row r's entries are rowStarts[r] .. rowStarts[r + 1] − 1. */
  rowStarts: Uint32Array;
  columns: Uint32Array;
  values: Float64Array;
  /** Columns including the intercept. */
  width: number;
}

export interface LogisticFitOptions {
  rows: SparseRows;
  /** 1 for a win, 0 for a loss. */
  outcomes: Uint8Array;
  /** L2 penalty λ on the weights (not on the intercept): the fit maximises log-likelihood − λ/2·‖w‖². */
  l2: number;
  maxIterations: number;
}

export interface LogisticFit {
  /** Coefficient per column, the intercept first. */
  coefficients: Float64Array;
  iterations: number;
  converged: boolean;
}

const TOLERANCE = 1e-8;

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares): each step solves
 * (XᵀWX + λI)·Δ = Xᵀ(y − p) − λw by Cholesky, W = diag(p(1 − p)), halving the step while the penalised
 * log-likelihood would drop. It starts from all weights 0 and the intercept at the log-odds of the win rate, and
 * stops when no coefficient moves by more than 1e-8 or after maxIterations: the same data gives the same model.
 * The penalty also keeps the weights finite when a column separates wins from losses perfectly.
 */
export const fitLogistic = ({ rows, outcomes, l2, maxIterations }: LogisticFitOptions): LogisticFit => {
  const { rowStarts, columns, values, width: size } = rows;
  const count = outcomes.length;
  const wins = outcomes.reduce((sum, outcome) => sum + outcome, 0);
  let beta = new Float64Array(size);
  beta[0] = Math.log((wins + 0.5) / (count - wins + 0.5));
  let objective = penalisedLogLikelihood({ rows, outcomes, l2, beta });

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const gradient = new Float64Array(size);
    const hessian = new Float64Array(size * size);
    for (let row = 0; row < count; row++) {
      const start = rowStarts[row]!;
      const end = rowStarts[row + 1]!;
      const p = sigmoid(linearPredictor(rows, beta, row));
      const residual = outcomes[row]! - p;
      const weight = Math.max(p * (1 - p), 1e-12);
      for (let a = start; a < end; a++) {
        const column = columns[a]!;
        const value = values[a]!;
        gradient[column] = gradient[column]! + value * residual;
        const scaled = weight * value;
        const offset = column * size;
        for (let b = a; b < end; b++) hessian[offset + columns[b]!] = hessian[offset + columns[b]!]! + scaled * values[b]!;
      }
    }
    for (let i = 1; i < size; i++) {
      gradient[i] = gradient[i]! - l2 * beta[i]!;
      hessian[i * size + i] = hessian[i * size + i]! + l2;
    }
    // A whisker on the intercept keeps the system solvable however flat the weights W get.
    hessian[0] = hessian[0]! + 1e-9;
    const step = solveSymmetric(hessian, gradient, size);

    let scale = 1;
    let candidate = beta;
    let candidateObjective = -Infinity;
    for (let halvings = 0; halvings < 30; halvings++, scale /= 2) {
      candidate = beta.map((value, i) => value + scale * step[i]!);
      candidateObjective = penalisedLogLikelihood({ rows, outcomes, l2, beta: candidate });
      if (candidateObjective >= objective - 1e-12 * Math.abs(objective)) break;
    }
    const largestMove = step.reduce((largest, value) => Math.max(largest, Math.abs(scale * value)), 0);
    beta = candidate;
    objective = candidateObjective;
    if (largestMove < TOLERANCE) return { coefficients: beta, iterations: iteration, converged: true };
  }
  return { coefficients: beta, iterations: maxIterations, converged: false };
};

const linearPredictor = ({ rowStarts, columns, values }: SparseRows, beta: Float64Array, row: number): number => {
  let z = 0;
  for (let a = rowStarts[row]!; a < rowStarts[row + 1]!; a++) z += values[a]! * beta[columns[a]!]!;
  return z;
};

interface ObjectiveOptions {
  rows: SparseRows;
  outcomes: Uint8Array;
  l2: number;
  beta: Float64Array;
}

const penalisedLogLikelihood = ({ rows, outcomes, l2, beta }: ObjectiveOptions): number => {
  let total = 0;
  for (let row = 0; row < outcomes.length; row++) {
    const z = linearPredictor(rows, beta, row);
    // log σ(z) = z − softplus(z) and log(1 − σ(z)) = −softplus(z), softplus(z) = ln(1 + e^z) without overflow.
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    total += outcomes[row]! ? z - softplus : -softplus;
  }
  let squares = 0;
  for (let i = 1; i < beta.length; i++) squares += beta[i]! ** 2;
  return total - (l2 / 2) * squares;
};

/** Solves A·x = b for a symmetric positive definite A (upper triangle filled, row-major) by Cholesky. */
const solveSymmetric = (upper: Float64Array, b: Float64Array, size: number): Float64Array => {
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = upper[j * size + i]!;
      for (let k = 0; k < j; k++) sum -= lower[i * size + k]! * lower[j * size + k]!;
      if (i === j) lower[i * size + i] = Math.sqrt(Math.max(sum, 1e-300));
      else lower[i * size + j] = sum / lower[j * size + j]!;
    }
  }
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * size + k]! * y[k]!;
    y[i] = sum / lower[i * size + i]!;
  }
  const x = new Float64Array(size);
  for (let i = size - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i]! * x[k]!;
    x[i] = sum / lower[i * size + i]!;
  }
  return x;
};
