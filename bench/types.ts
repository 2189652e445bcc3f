// One benchmark figure, as printed by `npm run bench` and written to bench/results/latest.json.
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** The reference measured in the same run (e.g. a bare server, transit-js alone), in the same unit. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** The target in words, e.g. "≥ 0.8× baseline". */
  goal: string;
  pass: boolean;
}
