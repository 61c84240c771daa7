import type { ComponentChildren, JSX } from 'preact';
import { ApiError } from '../api/client';
import { t } from '../i18n';

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return t('err.network');
    return e.detail || t('err.generic', { code: e.code });
  }
  return t('err.generic', { code: String((e as Error)?.message ?? e) });
}

export function Loading() {
  return (
    <p class="state" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {t('app.loading')}
    </p>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <p>{errorText(error)}</p>
      {onRetry && (
        <button type="button" class="btn btn-secondary" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

export function Alert({ children, kind = 'error' }: { children: ComponentChildren; kind?: 'error' | 'info' | 'ok' }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'value' | 'type'> & {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  ok?: string;
  status?: string;
  value?: string | number;
  type?: string;
  onValue?: (v: string) => void;
};

/** Labelled input; hint, error and status texts are tied to it with aria-describedby. */
export function Field({ id, label, hint, error, ok, status, onValue, ...rest }: InputProps) {
  const desc = [hint && `${id}-hint`, (error || ok || status) && `${id}-msg`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={desc}
        onInput={onValue ? (e) => onValue((e.currentTarget as HTMLInputElement).value) : undefined}
        {...rest}
      />
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {(error || ok || status) && (
        <small id={`${id}-msg`} class={error ? 'msg msg-error' : ok ? 'msg msg-ok' : 'msg'} aria-live="polite">
          {error || ok || status}
        </small>
      )}
    </div>
  );
}
