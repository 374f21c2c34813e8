import type { OpenAPIObject } from '@nestjs/swagger';

// One made-up but consistent story: run RUN of `sales.daily` v3, started by request REQUEST.
const RUN = '21cbe92f-3763-8ac0-a5cb-aeab9ace6b31';
const REQUEST = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const AT = 1_796_000_000_000;
const TOKEN_ID = '3f9a0c1b2d4e';

const summary = {
  workflowId: 'sales.daily',
  activeVersion: 3,
  latestVersion: 3,
  name: 'Daily sales',
  description: 'Extracts, loads and reports the day',
  tags: ['sales'],
  createdAt: AT - 86_400_000,
  updatedAt: AT - 3_600_000,
};
const definition = { id: 'sales.daily', version: 3, steps: [{ id: 'extract' }, { id: 'load' }] };
const source =
  'id: sales.daily\nsteps:\n  - id: extract\n    shell: [./extract.sh]\n  - id: load\n    shell: [./load.sh]\n    after: [extract]\n';
const runSummary = {
  runId: RUN,
  workflowId: 'sales.daily',
  workflowVersion: 3,
  status: 'running',
  requestId: REQUEST,
  runAttempt: 1,
  parent: null,
  createdAt: AT,
  startedAt: AT + 12,
  endedAt: null,
  timeoutAt: AT + 3_600_000,
  failure: null,
  lastSeq: 5,
  updatedAt: AT + 1_500,
};
const token = {
  tokenId: TOKEN_ID,
  name: 'sales-ci',
  role: 'operator',
  scopes: ['sales.'],
  createdAt: AT,
  createdBy: 'env:BATON_ADMIN_TOKEN',
  revokedAt: null,
  revokedBy: null,
};
const accepted = { runId: RUN, commandId: `api-kill/${REQUEST}` };

/**
 * One example per response schema, shown with every 2xx response that
 * returns it (or a list of it). `openapi-examples.spec.ts` checks each
 * against its schema, so an example cannot drift from the DTO.
 */
export const RESPONSE_EXAMPLES: Readonly<Record<string, unknown>> = {
  PushResultDto: { workflowId: 'sales.daily', version: 3, created: true, activeVersion: 3 },
  WorkflowSummaryDto: summary,
  MaestroImportResponseDto: {
    workflowId: 'sample-dag-wf',
    valid: true,
    definition: { id: 'sample-dag-wf', steps: [{ id: 'job.1', type: 'noop' }] },
    source: '# imported from Maestro\nid: sample-dag-wf\nsteps:\n  - id: job.1\n    type: noop\n',
    issues: [
      {
        path: '$.workflow.steps[0].step.params.created_at',
        kind: 'unmapped',
        message: 'SEL not translated: new DateTime(...) (Java objects have no CEL equivalent)',
      },
    ],
    errors: [],
    pushed: null,
  },
  WorkflowDetailDto: {
    ...summary,
    definition,
    source,
    versions: [{ version: 3, active: true, createdAt: AT - 3_600_000, pushedBy: `token:${TOKEN_ID}` }],
  },
  WorkflowVersionDto: {
    workflowId: 'sales.daily',
    version: 3,
    active: true,
    definition,
    source,
    createdAt: AT - 3_600_000,
    pushedBy: `token:${TOKEN_ID}`,
  },
  StartRunResponseDto: { runId: RUN, requestId: REQUEST, workflowId: 'sales.daily', version: 3 },
  RunPageDto: { items: [runSummary], nextCursor: null },
  RunDetailDto: {
    ...runSummary,
    params: { day: '2026-11-24' },
    breakpoints: [],
    stopping: null,
    steps: [
      {
        stepId: 'extract',
        status: 'running',
        attempt: 1,
        params: { day: '2026-11-24' },
        outputs: null,
        readyAt: AT + 20,
        startedAt: AT + 35,
        endedAt: null,
        errorKind: null,
        errorMessage: null,
        skipReason: null,
        skipMessage: null,
        signal: null,
        progress: null,
        attempts: [
          {
            attempt: 1,
            runAttempt: 1,
            status: 'running',
            executorId: 'executor-default-1',
            readyAt: AT + 20,
            startedAt: AT + 35,
            endedAt: null,
            leaseExpiresAt: AT + 30_035,
            errorKind: null,
            message: null,
          },
        ],
      },
    ],
  },
  RunEventsPageDto: {
    items: [{ seq: 1, type: 'RunStarted', at: AT + 12, payload: { by: `token:${TOKEN_ID}` } }],
    nextAfterSeq: 1,
  },
  StepLogsDto: {
    attempt: 1,
    stdoutTail: 'extracted 4213 rows\n',
    stderrTail: '',
    truncated: false,
    updatedAt: AT + 900,
  },
  WorkflowQueueDto: {
    workflowId: 'sales.daily',
    runStrategy: { type: 'sequential' },
    paused: false,
    blockedBy: null,
    running: [RUN],
    runningCount: 1,
    breakpoints: [],
    queued: [
      {
        position: 7,
        runId: 'b3f1c2d4-9e8a-8b7c-a6d5-e4f3a2b1c0d9',
        requestId: 'nightly-2026-11-25',
        version: 3,
        queuedAt: AT + 60_000,
      },
    ],
    queuedCount: 1,
    nextAfterPosition: null,
    recentlyDropped: [],
    lastSeq: 7,
    updatedAt: AT + 60_000,
  },
  WorkflowCommandAcceptedDto: { workflowId: 'sales.daily', commandId: `api-pause/${REQUEST}` },
  BreakpointsAcceptedDto: {
    workflowId: 'sales.daily',
    commandId: `api-breakpoints/${REQUEST}`,
    stepIds: ['load'],
  },
  SendSignalResponseDto: { signalId: REQUEST },
  RunActionResponseDto: accepted,
  CreatedTokenDto: { ...token, token: `baton_${TOKEN_ID}_${'x'.repeat(43)}` },
  ApiTokenDto: token,
  WhoAmIDto: { subject: `token:${TOKEN_ID}`, role: 'operator', scopes: ['sales.'] },
};

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** Adds the example of its schema to every 2xx JSON response (a list of a schema gets a list of one). */
export function addResponseExamples(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as (Operation | undefined)[]) {
      if (operation === undefined || typeof operation !== 'object' || !('responses' in operation)) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!status.startsWith('2') || response === undefined || '$ref' in response) continue;
        const media = response.content?.['application/json'];
        if (media?.schema === undefined || media.example !== undefined) continue;
        const example = exampleOf(media.schema);
        if (example !== undefined) media.example = example;
      }
    }
  }
  return document;
}

function exampleOf(schema: object): unknown {
  if ('$ref' in schema && typeof schema.$ref === 'string')
    return RESPONSE_EXAMPLES[schema.$ref.split('/').pop()!];
  if ('type' in schema && schema.type === 'array' && 'items' in schema && typeof schema.items === 'object') {
    const item = exampleOf(schema.items as object);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}
