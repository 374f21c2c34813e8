import type { ParamDefinition } from '../workflow/workflow-definition';
import { SEALED_SECRET_PREFIX, SECRET_REF_PREFIX } from '../workflow/secret-values';
import { cmd, step, workflow } from './testing/fixtures';
import { given } from './testing/given-when-then';

const token: ParamDefinition = { name: 'token', type: 'string', required: false, secret: true };
const sealed = `${SEALED_SECRET_PREFIX}AAAAbbbb_-`;

describe('StartRun with secret params', () => {
  it('keeps a sealed value as the opaque token it is', () => {
    const definition = workflow([step('a')], [], { params: [token] });
    const outcome = given().when(cmd.start(definition, { token: sealed }));
    expect(outcome.events[0]).toMatchObject({ type: 'RunStarted', params: { token: sealed } });
  });

  it('turns a reference, given or defaulted, into its marker for the executor to resolve', () => {
    const definition = workflow([step('a')], [], {
      params: [token, { name: 'db', type: 'string', required: false, secret: true, default: 'file:db.pw' }],
    });
    const outcome = given().when(cmd.start(definition, { token: 'env:API_TOKEN' }));
    expect(outcome.events[0]).toMatchObject({
      params: { token: `${SECRET_REF_PREFIX}env:API_TOKEN`, db: `${SECRET_REF_PREFIX}file:db.pw` },
    });
  });

  it('refuses a clear value no edge sealed, without repeating it', () => {
    const definition = workflow([step('a')], [], { params: [token] });
    const outcome = given().when(cmd.start(definition, { token: 'hunter2-clear' }));
    expect(outcome.events).toHaveLength(1);
    expect(outcome.events[0]).toMatchObject({ type: 'CommandRejected', code: 'InvalidParams' });
    expect(JSON.stringify(outcome.events)).not.toContain('hunter2-clear');
  });
});
