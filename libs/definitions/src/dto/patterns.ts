/**
 * Name patterns shared by the DTOs and the semantic pass, in one file so the
 * DTO files do not import each other (a step names a workflow, a workflow
 * holds steps).
 */

/** A workflow id; also what a subworkflow step names. */
export const WORKFLOW_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
export const WORKFLOW_ID_RULE =
  'must start with a letter and contain only letters, digits, _, . and - (at most 128 characters)';

/**
 * Letters, digits, `_`, `-` and `.` (Maestro's samples name steps `job.1`);
 * read in CEL as `steps.load`, or `steps['load-eu']` / `steps['job.1']` when
 * the id is not an identifier. Never `~` or `/`: child run ids
 * (`run~step~attempt~index`) and timer ids (`kind/step/attempt`) are built with them.
 */
export const STEP_ID = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
export const STEP_ID_RULE =
  'must start with a letter and contain only letters, digits, _, - and . (at most 128 characters)';

/** A signal name, as `POST /api/v1/signals` and the `baton.signals` topic key carry it. */
export const SIGNAL_NAME = /^[A-Za-z][A-Za-z0-9_./-]{0,127}$/;
export const SIGNAL_NAME_RULE =
  'must start with a letter and contain only letters, digits, _, ., - and / (at most 128 characters)';

/** A CEL identifier: what `params.x`, loop params, outputs and signal params are named. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A key pattern with the words that explain it, for the maps of values. */
export interface NamePattern {
  readonly pattern: RegExp;
  readonly what: string;
}

export const PARAM_NAME: NamePattern = {
  pattern: IDENTIFIER,
  what: 'param name (letters, digits and _, not starting with a digit)',
};
export const SIGNAL_PARAM_NAME: NamePattern = {
  pattern: IDENTIFIER,
  what: 'signal param name (letters, digits and _, not starting with a digit)',
};
export const ENV_NAME: NamePattern = {
  pattern: IDENTIFIER,
  what: 'environment variable name (letters, digits and _)',
};
export const HEADER_NAME: NamePattern = {
  pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
  what: 'HTTP header name',
};
