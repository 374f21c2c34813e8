import { stringify } from 'yaml';
import type { ImportIssue } from './report';

/** `3 not mapped, 1 mapped with a difference`. */
export function summarizeIssues(issues: readonly ImportIssue[]): string {
  const count = (kind: ImportIssue['kind']): number => issues.filter((issue) => issue.kind === kind).length;
  return `${count('unmapped')} not mapped, ${count('changed')} mapped with a difference`;
}

/**
 * The converted workflow as the YAML text a user keeps and pushes, headed by
 * a comment naming where it came from and what the report holds.
 */
export function renderBatonYaml(definition: unknown, issues: readonly ImportIssue[], origin: string): string {
  const header = `# Imported from the Maestro workflow ${origin} by \`baton import maestro\`: ${summarizeIssues(issues)}.\n`;
  return header + stringify(definition, { lineWidth: 0 });
}
