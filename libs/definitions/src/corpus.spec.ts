import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkflowDocument } from './index';

/**
 * Every file in test-corpus/invalid is a document that must be refused with
 * exactly the error paths its header lists (`# expect: <path>`), and with at
 * least one message containing each `# message: <text>`.
 */
const dir = join(__dirname, '..', 'test-corpus', 'invalid');
const cases = readdirSync(dir)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const header = (key: string) =>
      [...text.matchAll(new RegExp(`^# ${key}: (.*)$`, 'gm'))].map((match) => match[1].trim());
    return { file, text, paths: header('expect'), messages: header('message') };
  });

describe('invalid definitions corpus', () => {
  it('has at least 20 cases, each with expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const c of cases) expect(c.paths.length).toBeGreaterThan(0);
  });

  it.each(cases)('$file', ({ text, paths, messages }) => {
    const result = parseWorkflowDocument(text);
    if (result.ok) throw new Error('expected the document to be refused');
    expect([...new Set(result.errors.map((e) => e.path))].sort()).toEqual([...new Set(paths)].sort());
    for (const message of messages) {
      expect(result.errors.map((e) => e.message).join('\n')).toContain(message);
    }
    for (const error of result.errors) expect(error.line).toBeGreaterThan(0);
  });
});
