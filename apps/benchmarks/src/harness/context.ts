import type { Target } from './stack';

export interface ScenarioContext {
  /** The repository root (compiled processes live under dist/). */
  readonly root: string;
  readonly target: Target;
  /** Tiny sizes, a few seconds: proves the harness works, measures nothing. */
  readonly smoke: boolean;
  /** The command line as typed, for the report. */
  readonly command: string;
  /** Repetitions (medians are reported across them). */
  readonly repetitions: number;
  /** `--runs N`: overrides the scenario's default size. */
  readonly runs?: number;
  /** `--profile NAME`: `--cpu-prof` for processes whose name starts with NAME. */
  readonly profile?: string;
}
