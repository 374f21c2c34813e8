import { DEFAULT_DEFINITION_LIMITS as DEFAULTS, parseWorkflowDocument } from '@baton/definitions';
import { stringify } from 'yaml';
import { importMaestro } from './import-maestro';
import { ALL_DOCUMENTS, conditionalDag, unsupported } from './testing/maestro-documents';

describe('importMaestro', () => {
  it.each(Object.entries(ALL_DOCUMENTS))(
    'converts %s into a document Baton validates, also as YAML text',
    (_, doc) => {
      const sut = importMaestro(JSON.stringify(doc));
      expect(sut).toMatchObject({ ok: true, valid: true, errors: [] });
      if (!sut.ok) return;
      const reparsed = parseWorkflowDocument(stringify(sut.definition), 'yaml');
      expect(reparsed.ok ? [] : reparsed.errors).toEqual([]);
    },
  );

  it('reads YAML as well as JSON, and gives the same result', () => {
    expect(importMaestro(stringify(conditionalDag))).toEqual(importMaestro(JSON.stringify(conditionalDag)));
  });

  it('reads a bare workflow { id, steps } and a stored definition { properties_snapshot, workflow }', () => {
    const bare = importMaestro(JSON.stringify({ id: 'bare', steps: [{ step: { id: 'a', type: 'NoOp' } }] }));
    expect(bare).toMatchObject({ ok: true, definition: { id: 'bare', steps: [{ id: 'a', type: 'noop' }] } });
    const stored = importMaestro(
      JSON.stringify({
        properties_snapshot: { run_strategy: 'first_only' },
        workflow: { id: 'st', steps: [] },
        is_active: true,
      }),
    );
    expect(stored).toMatchObject({ ok: true, definition: { id: 'st', run_strategy: 'first_only' } });
  });

  it('reports every field it does not know, with its JSON path', () => {
    const sut = importMaestro(
      JSON.stringify({
        workflow: { id: 'x', colour: 'red', steps: [{ step: { id: 'a', type: 'NoOp', flavour: 1 } }] },
        extra: true,
      }),
    );
    expect(sut.ok && sut.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['$.extra', '$.workflow.colour', '$.workflow.steps[0].step.flavour']),
    );
  });

  it('reports every unsupported construct of a document, never silently', () => {
    const sut = importMaestro(JSON.stringify(unsupported));
    expect(sut.ok && sut.issues.map((i) => `${i.kind} ${i.path}`)).toEqual(
      expect.arrayContaining([
        'unmapped $.workflow.criticality',
        'changed $.properties.step_concurrency',
        'unmapped $.properties.alerting',
        'changed $.properties.owner',
        'unmapped $.workflow.steps[1]',
        'unmapped $.workflow.steps[0].step.type',
        'unmapped $.workflow.steps[2].step.params.sleep_seconds',
      ]),
    );
  });

  it.each([
    ['not: [valid', /not valid JSON or YAML/],
    ['[1, 2]', /is a map/],
    ['{"workflow": {"id": "x"}}', /not a Maestro workflow/],
    ['Workflow:\n  id: x\n  jobs: []\n', /YAML DSL/],
  ])('refuses %j with a reason', (text, reason) => {
    const sut = importMaestro(text);
    expect(sut.ok).toBe(false);
    if (!sut.ok) expect(sut.message).toMatch(reason);
  });

  it('refuses a deeply nested document before parsing it', () => {
    const deep = `{"workflow": {"id": "x", "steps": [], "p": ${'['.repeat(3000)}${']'.repeat(3000)}}}`;
    expect(importMaestro(deep)).toEqual({ ok: false, message: 'the document nests deeper than 64 levels' });
  });

  it('refuses a document over the size limit before parsing it', () => {
    const sut = importMaestro('x'.repeat(2048), { ...DEFAULTS, maxDocumentBytes: 1024 });
    expect(sut).toEqual({ ok: false, message: 'the document is 2048 bytes; the limit is 1024' });
  });
});
