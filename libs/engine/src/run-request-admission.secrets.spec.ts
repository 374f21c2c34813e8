import type { RequestRun } from '@baton/domain/workflow-queue';
import { SecretSealer, Topics, type DeadLetter } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import type { CatalogVersion, VersionSelector } from './definitions/definition-catalog';
import { admitRunRequest, type DefinitionSource } from './run-request-admission';
import { definitionFromYaml } from './testing/engine-fixtures';

const deploy = definitionFromYaml(`
id: deploy
params:
  token: { type: string, secret: true }
  region: { type: string, default: eu }
steps:
  - { id: call, type: noop }
`);

const registry: DefinitionSource = {
  catchUp: async () => undefined,
  async getVersion(workflowId: string, _selector: VersionSelector): Promise<CatalogVersion | null> {
    return workflowId === 'deploy' ? { workflowId, version: 1, definition: deploy } : null;
  },
};

const record = (params: Record<string, string>): LogRecord => ({
  topic: Topics.runRequests,
  partition: 0,
  offset: 7,
  key: 'deploy',
  value: JSON.stringify({ schemaVersion: 1, workflowId: 'deploy', requestId: 'r-1', params }),
  headers: {},
  timestamp: 0,
});

describe('run-request admission of secret params (requests other services publish on Kafka)', () => {
  const sealer = new SecretSealer(SecretSealer.generateKey());

  it('seals a clear secret before the request goes any further', async () => {
    const { record: out, outcome } = await admitRunRequest(
      record({ token: 'kafka-clear', region: 'us' }),
      registry,
      0,
      sealer,
    );
    expect(outcome).toBe('admitted');
    expect(out.value).not.toContain('kafka-clear');
    const command = JSON.parse(out.value!) as RequestRun;
    expect(sealer.unseal(command.start.params.token as string)).toBe('kafka-clear');
    expect(command.start.params.region).toBe('us');
  });

  it('dead-letters a clear secret it cannot seal, with the value masked', async () => {
    const { record: out, outcome } = await admitRunRequest(
      record({ token: 'kafka-clear' }),
      registry,
      0,
      null,
    );
    expect(outcome).toBe('dead_letter');
    expect(out.value).not.toContain('kafka-clear');
    const letter = JSON.parse(out.value!) as DeadLetter;
    expect(letter.reason).toContain("param 'token' of workflow deploy is secret");
    expect(JSON.parse(letter.value!)).toMatchObject({ params: { token: '***' } });
  });

  it('passes references through without a key', async () => {
    const { record: out, outcome } = await admitRunRequest(
      record({ token: 'file:deploy.token' }),
      registry,
      0,
      null,
    );
    expect(outcome).toBe('admitted');
    expect((JSON.parse(out.value!) as RequestRun).start.params.token).toBe('file:deploy.token');
  });
});
