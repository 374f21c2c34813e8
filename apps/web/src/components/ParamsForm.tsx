import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { initialText, paramPath, parseParams } from '../params';
import type { ParamSpec } from '../types';
import { ErrorBox } from './common';

/**
 * A form generated from a workflow's typed params. Errors show at the field:
 * the form's own checks first, then the API's 400 (matched by JSON path).
 */
export function ParamsForm(props: {
  specs: readonly ParamSpec[];
  /** Values that replace the defaults (a restart starts from the run's params). */
  initial?: Record<string, unknown>;
  submitLabel: string;
  onSubmit: (params: Record<string, unknown>) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      props.specs.map((s) => {
        const v = props.initial?.[s.name];
        return [
          s.name,
          v === undefined ? initialText(s) : s.type === 'string' ? String(v) : JSON.stringify(v),
        ];
      }),
    ),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: Event) => {
    event.preventDefault();
    const parsed = parseParams(props.specs, texts);
    setErrors(parsed.errors);
    setError(null);
    if (Object.keys(parsed.errors).length > 0) return;
    setBusy(true);
    props.onSubmit(parsed.params).then(
      () => setBusy(false),
      (err) => {
        setBusy(false);
        if (err instanceof ApiError && err.errors.length > 0) {
          setErrors(Object.fromEntries(err.errors.map((e) => [e.path, e.message])));
        }
        setError(err);
      },
    );
  };

  return (
    <form class="params-form" onSubmit={submit} noValidate>
      {props.specs.length === 0 && <p class="muted">This workflow declares no params.</p>}
      {props.specs.map((spec) => {
        const path = paramPath(spec.name);
        const id = `param-${spec.name}`;
        return (
          <div class={`field${errors[path] ? ' invalid' : ''}`} key={spec.name}>
            <label for={id}>
              {spec.name}{' '}
              <span class="muted">
                {spec.type}
                {spec.required ? ', required' : ''}
              </span>
            </label>
            {spec.type === 'boolean' ? (
              <select
                id={id}
                name={spec.name}
                value={texts[spec.name]}
                onChange={(e) => setTexts({ ...texts, [spec.name]: (e.target as HTMLSelectElement).value })}
              >
                <option value="">(default)</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : spec.type === 'map' || spec.type === 'array' ? (
              <textarea
                id={id}
                name={spec.name}
                rows={3}
                value={texts[spec.name]}
                onInput={(e) => setTexts({ ...texts, [spec.name]: (e.target as HTMLTextAreaElement).value })}
              />
            ) : (
              <input
                id={id}
                name={spec.name}
                inputMode={spec.type === 'long' || spec.type === 'double' ? 'decimal' : undefined}
                value={texts[spec.name]}
                aria-invalid={errors[path] ? 'true' : 'false'}
                aria-describedby={errors[path] ? `${id}-error` : undefined}
                onInput={(e) => setTexts({ ...texts, [spec.name]: (e.target as HTMLInputElement).value })}
              />
            )}
            {spec.description && <div class="hint">{spec.description}</div>}
            {errors[path] && (
              <div class="field-error" id={`${id}-error`} role="alert">
                {errors[path]}
              </div>
            )}
          </div>
        );
      })}
      {Object.entries(errors)
        .filter(([path]) => !props.specs.some((s) => paramPath(s.name) === path))
        .map(([path, message]) => (
          <div class="field-error" key={path}>
            <code>{path}</code>: {message}
          </div>
        ))}
      <ErrorBox error={error} />
      <div class="dialog-buttons">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? '…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
