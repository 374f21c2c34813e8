import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { statusLook } from '../status';

/** An API error in words: what the API said, on which call, and each field's problem. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  return (
    <div class="error" role="alert">
      <strong>
        {e ? (e.status === 403 ? 'Not allowed: ' : e.status ? `Error ${e.status}: ` : 'Error: ') : 'Error: '}
      </strong>
      <span class="error-message">{e ? e.message : String(error)}</span>
      {e && <div class="error-path">{e.path}</div>}
      {e && e.errors.length > 0 && (
        <ul>
          {e.errors.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  const look = statusLook(status);
  return (
    <span class="badge" style={{ '--c': look.colour }} data-status={status ?? 'pending'}>
      <span aria-hidden="true">{look.icon}</span> {look.label}
    </span>
  );
}

/** Loads `load()` whenever `deps` change; `reload` refetches in place (no spinner flash). */
export function useApi<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const run = (quiet: boolean) => {
    const mine = ++seq.current;
    if (!quiet) setLoading(true);
    load().then(
      (value) => {
        if (mine !== seq.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err) => {
        if (mine !== seq.current) return;
        setError(err);
        setLoading(false);
      },
    );
  };
  useEffect(() => run(false), deps);
  return { data, error, loading, reload: () => run(true), setData };
}

/** A modal that asks before an action and shows the API's answer if it refuses. */
export function Confirm(props: {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: (done: boolean) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} class="confirm" onCancel={() => props.onClose(false)} aria-label={props.title}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          props.onConfirm().then(
            () => props.onClose(true),
            (err) => {
              setBusy(false);
              setError(err);
            },
          );
        }}
      >
        <h3>{props.title}</h3>
        {props.children}
        <ErrorBox error={error} />
        <div class="dialog-buttons">
          <button type="button" onClick={() => props.onClose(false)}>
            Cancel
          </button>
          <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={busy} autofocus>
            {busy ? '…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Arrow keys move focus between the rows of a list; Enter opens the focused row. */
export function onListKey(event: KeyboardEvent): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'j' && event.key !== 'k') return;
  const target = event.target as HTMLElement;
  const row = target.closest('[data-row]');
  const list = target.closest('[data-list]');
  if (!row || !list) return;
  const rows = Array.from(list.querySelectorAll<HTMLElement>('[data-row]'));
  const index = rows.indexOf(row as HTMLElement);
  const down = event.key === 'ArrowDown' || event.key === 'j';
  const next = rows[index + (down ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

export function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">none</span>;
  if (typeof value === 'object' && Object.keys(value as object).length === 0)
    return <span class="muted">none</span>;
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

/** A select over plain values; `any` adds a first, empty choice (a filter's "all"). */
export function Select(props: {
  value: string | number;
  options: readonly (string | number)[];
  onChange: (value: string) => void;
  format?: (value: string | number) => string;
  any?: string;
  label?: string;
}) {
  return (
    <select
      value={String(props.value)}
      aria-label={props.label}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
    >
      {props.any !== undefined && <option value="">{props.any}</option>}
      {props.options.map((o) => (
        <option key={o} value={String(o)}>
          {props.format ? props.format(o) : String(o)}
        </option>
      ))}
    </select>
  );
}
