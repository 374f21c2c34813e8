import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ApiMetrics } from '@baton/api/http/api.metrics';
import { ArchiverMetrics } from '@baton/archive/archiver/archiver.metrics';
import { EngineMetrics } from '@baton/engine/engine.metrics';
import { SignalRouterMetrics } from '@baton/engine/signals/signal-router.metrics';
import { TriggerMetrics } from '@baton/engine/triggers/trigger.metrics';
import { WorkflowQueueMetrics } from '@baton/engine/workflow-queue/workflow-queue.metrics';
import { WriterHealth } from '@baton/engine/writer-health';
import { ExecutorPoolMetrics } from '@baton/executor/pool/executor-pool.metrics';
import { MetricsRegistry } from '@baton/observability';
import { ProjectorMetrics } from '@baton/projector/projector.metrics';
import { WorkflowQueueProjectorMetrics } from '@baton/projector/workflow-queue/workflow-queue-projector.metrics';
import { WorkflowMetrics } from '@baton/projector/workflow.metrics';
import type { SqlClient } from '@baton/sql';

// The dashboard and the alert rules name metrics by string; this keeps them
// from naming one the code does not serve (a rename would blank a panel or
// silence an alert). `promtool check rules` (in .ci/run) checks the PromQL.
const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}
const rules = (parse(read('deploy/prometheus/alerts.yml')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string; datasource: { uid: string } }[];
}
const dashboard = JSON.parse(read('deploy/grafana/baton-dashboard.json')) as { uid: string; panels: Panel[] };

/** Every metric of every Baton process, registered as the processes do (one registry holds them all). */
async function codeMetrics(): Promise<Map<string, string>> {
  const registry = MetricsRegistry.withDefaults('spec');
  const sql = { query: () => Promise.resolve([]) } as unknown as SqlClient;
  new ApiMetrics(registry);
  new ArchiverMetrics(registry);
  new EngineMetrics(registry);
  new SignalRouterMetrics(registry);
  new TriggerMetrics(registry);
  new WorkflowQueueMetrics(registry);
  new WriterHealth(registry, undefined);
  new ExecutorPoolMetrics(registry);
  new ProjectorMetrics(registry);
  new WorkflowQueueProjectorMetrics(registry, sql);
  new WorkflowMetrics(registry, sql, { now: () => 0 });
  const metrics = await registry.getMetricsAsJSON();
  return new Map(metrics.map((m) => [m.name, String(m.type)]));
}

/** Metric names in a PromQL expression; a histogram's series (_bucket, _sum, _count) name the histogram. */
function metricNames(expr: string, known: Map<string, string>): string[] {
  const names = expr.match(/\b(?:baton|process|nodejs)_[a-z0-9_]+\b/g) ?? [];
  return names.map((name) => {
    const base = name.replace(/_(bucket|sum|count)$/, '');
    return base !== name && known.get(base) === 'histogram' ? base : name;
  });
}

describe('deploy/prometheus/alerts.yml and deploy/grafana/baton-dashboard.json', () => {
  let known: Map<string, string>;
  beforeAll(async () => {
    known = await codeMetrics();
  });

  it('name only metrics that Baton serves', () => {
    const exprs = [
      ...rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
      ...dashboard.panels.flatMap((p) =>
        (p.targets ?? []).map((t) => ({ where: `panel ${p.title}`, expr: t.expr })),
      ),
    ];
    expect(exprs.length).toBeGreaterThan(30);
    const missing = exprs.flatMap(({ where, expr }) =>
      metricNames(expr, known)
        .filter((name) => !known.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('alert on stuck runs, dead or fenced partitions, dead letters and projector lag, each with a severity and a summary', () => {
    const alerts = new Map(rules.map((r) => [r.alert, r]));
    for (const [alert, metric] of [
      ['BatonRunsStuck', 'baton_workflow_runs_overdue'],
      ['BatonWriterPartitionFailing', 'baton_writer_batch_failures_consecutive'],
      ['BatonWriterPartitionFenced', 'baton_writer_partitions_fenced'],
      ['BatonNoEngineOwnsPartitions', 'baton_writer_partitions_owned'],
      ['BatonDeadLetters', 'baton_projector_dead_letters_total'],
      ['BatonProjectorLagging', 'baton_projector_lag_seconds'],
    ]) {
      expect(alerts.get(alert)?.expr).toContain(metric);
    }
    for (const rule of rules) {
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
    }
  });

  it('give every dashboard panel a unique id and the dashboard datasource variable', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const target of dashboard.panels.flatMap((p) => p.targets ?? []))
      expect(target.datasource.uid).toBe('${datasource}');
    expect(dashboard.panels.filter((p) => p.type !== 'row').length).toBeGreaterThan(15);
  });
});

describe("Baton's registry", () => {
  it('has no gauge whose name ends in _total (the suffix is for counters)', async () => {
    const known = await codeMetrics();
    expect(known.size).toBeGreaterThan(60);
    expect([...known].filter(([name, type]) => type === 'gauge' && name.endsWith('_total'))).toEqual([]);
  });
});
