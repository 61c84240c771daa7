// Notifications (HS-AI-060): newest first with unread marks, mark one or all read, more.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { NotificationItem, NotificationPage } from '../api/types';
import { ErrorBox, Loading } from '../components/ui';
import { useAsync } from '../lib/useAsync';
import { fmtDateTime, t, useLang } from '../i18n';
import { useMe } from '../app';

export function Notifications() {
  const lang = useLang();
  const { refreshUnread } = useMe();
  const first = useAsync(() => api<NotificationPage>('intelligence/notifications', { query: { limit: 20 } }), [lang]);
  const [more, setMore] = useState<NotificationItem[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<ApiError>();
  const [readIds, setReadIds] = useState<Set<string>>(new Set());
  const items = [...(first.data?.items ?? []), ...more];
  const next = cursor === undefined ? first.data?.nextCursor : cursor;

  const markRead = async (id: string) => {
    try {
      await api(`intelligence/notifications/${id}/read`, { method: 'POST' });
      setReadIds(new Set([...readIds, id]));
      refreshUnread();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const markAll = async () => {
    try {
      await api('intelligence/notifications/read-all', { method: 'POST' });
      setReadIds(new Set(items.map((i) => i.notificationId)));
      refreshUnread();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const loadMore = async () => {
    if (!next) return;
    try {
      const page = await api<NotificationPage>('intelligence/notifications', { query: { limit: 20, cursor: next } });
      setMore([...more, ...page.items]);
      setCursor(page.nextCursor ?? null);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const unread = (n: NotificationItem) => !n.readAt && !readIds.has(n.notificationId);

  return (
    <>
      <h1 tabIndex={-1}>{t('notif.title')}</h1>
      <ErrorBox error={error} />
      {first.loading && !first.data ? (
        <Loading />
      ) : first.error ? (
        <ErrorBox error={first.error} retry={first.reload} />
      ) : items.length === 0 ? (
        <p class="muted">{t('notif.none')}</p>
      ) : (
        <>
          <button type="button" class="btn secondary" onClick={markAll} disabled={!items.some(unread)}>
            {t('notif.readAll')}
          </button>
          <ul class="notifications">
            {items.map((n) => (
              <li key={n.notificationId} class={unread(n) ? 'unread' : ''}>
                <div>
                  <strong>
                    {unread(n) && <span class="dot-unread" aria-label={t('notif.unread')} role="img" />}
                    {n.title}
                  </strong>
                  <p>{n.body}</p>
                  <span class="muted">{fmtDateTime(n.createdAt)}</span>
                </div>
                {unread(n) && (
                  <button type="button" class="btn small secondary" onClick={() => markRead(n.notificationId)}>
                    {t('notif.markRead')}
                    <span class="sr-only">: {n.title}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
          {next && (
            <button type="button" class="btn secondary" onClick={loadMore}>
              {t('notif.more')}
            </button>
          )}
        </>
      )}
    </>
  );
}
