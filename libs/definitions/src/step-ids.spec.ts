import { accepted, refused } from './testing/documents';

const shell = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'shell',
  command: ['true'],
  ...extra,
});

describe('step ids', () => {
  it("accepts Maestro's dotted ids and reads them in CEL as steps['job.1']", () => {
    const definition = accepted({
      id: 'wf',
      steps: [
        shell('job.1', {
          outputs: { rows: 'result.exitCode' },
          next: [{ step: 'job.2', if: "steps['job.1'].outputs.rows == 0" }],
        }),
        shell('job.2', { params: { rows: "${steps['job.1'].outputs.rows}" } }),
      ],
    });
    expect(definition.steps.map((step) => step.id)).toEqual(['job.1', 'job.2']);
    expect(definition.edges).toEqual([
      { from: 'job.1', to: 'job.2', condition: "steps['job.1'].outputs.rows == 0" },
    ]);
  });

  it('refuses / and ~, which child run ids and timer ids are built with', () => {
    for (const id of ['job/1', 'job~1', '.job', '1.job']) {
      expect(refused({ id: 'wf', steps: [shell(id)] })).toEqual([
        {
          path: '$.steps[0].id',
          message:
            'id must start with a letter and contain only letters, digits, _, - and . (at most 128 characters)',
        },
      ]);
    }
  });

  it('says how to read a dotted id when steps.job.1 was meant', () => {
    const errors = refused({
      id: 'wf',
      steps: [
        shell('job.1'),
        shell('after', { depends_on: ['job.1'], params: { x: '${steps.job.outputs}' } }),
      ],
    });
    expect(errors).toEqual([
      {
        path: '$.steps[1].params.x',
        message: expect.stringContaining(
          "unknown step 'job' in steps.job; for step 'job.1' write steps['job.1']",
        ),
      },
    ]);
  });
});
