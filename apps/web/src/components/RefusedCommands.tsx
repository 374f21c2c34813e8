import { get } from '../api';
import { useApi } from './common';
import { time } from '../status';

interface Rejection {
  seq: number;
  at: number;
  payload: { commandType?: string; code?: string; message?: string; commandId?: string };
}

/**
 * The commands the engine refused for this run (`CommandRejected` events):
 * late reports of a superseded attempt, and malformed executor reports
 * (`InvalidCommand`), which would otherwise leave a step waiting with no
 * visible cause. Reloaded whenever the run's seq moves; hidden when empty.
 */
export function RefusedCommands({ runId, lastSeq }: { runId: string; lastSeq: number }) {
  const { data } = useApi(
    () =>
      get<{ items: Rejection[] }>(`/runs/${encodeURIComponent(runId)}/events?type=CommandRejected&limit=50`),
    [runId, lastSeq],
  );
  const items = data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <details
      class="card"
      open={items.some((r) => r.payload.code === 'InvalidCommand')}
      data-testid="refused-commands"
    >
      <summary>Refused commands ({items.length})</summary>
      <table class="list">
        <thead>
          <tr>
            <th>at</th>
            <th>command</th>
            <th>code</th>
            <th>why</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.seq}>
              <td>{time(r.at)}</td>
              <td>
                <code>{r.payload.commandType}</code>
              </td>
              <td>{r.payload.code}</td>
              <td>{r.payload.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
