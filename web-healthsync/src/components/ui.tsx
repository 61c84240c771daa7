import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';
import { fieldText, problemMessage, t } from '../i18n';

export function Loading() {
  return (
    <p class="muted" role="status">
      {t('app.loading')}
    </p>
  );
}

/** A failed request as a message (with the field errors), and a retry when one helps. */
export function ErrorBox({ error, retry }: { error: ApiError | undefined; retry?: () => void }) {
  if (!error) return null;
  const msg = error.code === 'NETWORK' ? t('err.NETWORK') : problemMessage(error.code, error.detail);
  return (
    <div class="error" role="alert">
      <p>{msg}</p>
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li key={e.field}>
              {fieldText(e)}
            </li>
          ))}
        </ul>
      )}
      {retry && (
        <button type="button" class="btn secondary" onClick={retry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return null;
  return <span class={`badge status-${status}`}>{t(`status.${status}` as never)}</span>;
}

export function RiskBadge({ level }: { level: string }) {
  return <span class={`badge risk-${level}`}>{t(`risk.${level}` as never)}</span>;
}

/** "AI" or "rules", with what it means for the reader. */
export function SourceTag({ by }: { by: string }) {
  return (
    <span class={`tag by-${by}`} title={t(by === 'ai' ? 'by.aiLong' : 'by.rulesLong')}>
      {t(by === 'ai' ? 'by.ai' : 'by.rules')}
    </span>
  );
}

export function Card({ title, children, id, actions }: { title?: string; children: ComponentChildren; id?: string; actions?: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={title && id ? `${id}-h` : undefined}>
      {title && (
        <div class="card-head">
          <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

/** The sample-data notice every health screen shows for a stand-in link (spec §4.4). */
export function SampleNotice({ notice }: { notice?: string | null }) {
  if (!notice) return null;
  return (
    <p class="notice" role="note">
      {notice}
    </p>
  );
}
