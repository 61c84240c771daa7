// All trips (TRIP-110): filter by status, search, sort, pages, multi-select delete.
// The filters live in the URL, so reload and Back keep them.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { trips } from '../api/endpoints';
import type { TripCard } from '../api/types';
import { fmtDate, t } from '../i18n';
import { Alert, ErrorState, Loading, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { useAsync } from '../lib/useAsync';
import { Cover, badgeText, tripHref } from './Dashboard';
import { cityName, useCityNames } from '../lib/cityNames';

const SIZE = 10;
const STATUSES = ['', 'planning', 'ongoing', 'completed'] as const;
const SORTS = ['newest', 'oldest', 'startDate', 'name'] as const;

export function listQuery(search: string) {
  const qs = new URLSearchParams(search);
  const status = qs.get('status') ?? '';
  const sort = qs.get('sort') ?? 'newest';
  const page = Math.max(1, Number(qs.get('page')) || 1);
  return {
    status: (STATUSES as readonly string[]).includes(status) ? status : '',
    q: qs.get('q') ?? '',
    sort: (SORTS as readonly string[]).includes(sort) ? sort : 'newest',
    page,
  };
}

export function TripsList() {
  const { url, route } = useLocation();
  useCityNames();
  const search = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  const f = listQuery(search);
  const [text, setText] = useState(f.q);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const list = useAsync(() => trips.list({ status: f.status || undefined, q: f.q || undefined, sort: f.sort, page: f.page, size: SIZE }), [search]);

  function go(next: Partial<typeof f>) {
    const m = { ...f, ...next };
    const p = new URLSearchParams();
    if (m.status) p.set('status', m.status);
    if (m.q) p.set('q', m.q);
    if (m.sort !== 'newest') p.set('sort', m.sort);
    if (m.page > 1) p.set('page', String(m.page));
    setPicked(new Set());
    route(`/trips${p.toString() ? `?${p}` : ''}`);
  }

  async function removePicked() {
    if (!picked.size || !window.confirm(t('list.confirmDelete', { n: picked.size }))) return;
    setBusy(true);
    setNotice(undefined);
    try {
      const r = await trips.remove([...picked]);
      setNotice({ kind: 'ok', text: t('list.deleted', { n: r.deleted.length }) });
      setPicked(new Set());
      list.reload();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  const items = (list.data?.items ?? []) as TripCard[];
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / SIZE));
  const allPicked = items.length > 0 && items.every((c) => picked.has(c.id));
  return (
    <section class="page">
      <PageTitle>{t('list.title')}</PageTitle>
      <form
        class="card filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: text.trim(), page: 1 });
        }}
      >
        <div class="search-row">
          <div class="field">
            <label for="q">{t('list.search')}</label>
            <input id="q" type="search" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button class="btn btn-primary" type="submit">
            {t('near.search')}
          </button>
        </div>
        <div class="row">
          <div class="field">
            <label for="status">{t('list.status')}</label>
            <select id="status" value={f.status} onChange={(e) => go({ status: (e.currentTarget as HTMLSelectElement).value, page: 1 })}>
              {STATUSES.map((s) => (
                <option value={s}>{s ? t(`dash.${s}`) : t('list.allStatus')}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="sort">{t('near.sort')}</label>
            <select id="sort" value={f.sort} onChange={(e) => go({ sort: (e.currentTarget as HTMLSelectElement).value, page: 1 })}>
              {SORTS.map((s) => (
                <option value={s}>{t(`list.sort.${s}`)}</option>
              ))}
            </select>
          </div>
        </div>
      </form>
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {list.loading && !list.data ? (
        <Loading />
      ) : list.error !== undefined ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : items.length === 0 ? (
        <p class="empty">{f.q || f.status ? t('list.noMatch') : t('list.empty')}</p>
      ) : (
        <>
          <div class="select-bar">
            <label class="check">
              <input
                type="checkbox"
                checked={allPicked}
                onChange={() => setPicked(allPicked ? new Set() : new Set(items.map((c) => c.id)))}
              />
              {t('list.selectAll')}
            </label>
            <button type="button" class="btn btn-danger" disabled={!picked.size || busy} onClick={removePicked}>
              {t('list.deleteN', { n: picked.size })}
            </button>
          </div>
          <p class="muted small" aria-live="polite">
            {t('list.count', { n: total })}
          </p>
          <ul class="trip-list">
            {items.map((c) => (
              <li class={`trip-row${picked.has(c.id) ? ' picked' : ''}`}>
                <input
                  type="checkbox"
                  aria-label={t('list.select', { name: c.tripName })}
                  checked={picked.has(c.id)}
                  onChange={() => {
                    const n = new Set(picked);
                    if (n.has(c.id)) n.delete(c.id);
                    else n.add(c.id);
                    setPicked(n);
                  }}
                />
                <a href={tripHref(c)}>
                  <Cover c={c} />
                  <span class="trip-row-body">
                    <span class="trip-card-head">
                      <strong>{c.tripName}</strong>
                      <span class="badge">{badgeText(c)}</span>
                    </span>
                    <span class="muted small">
                      {c.cities.map(cityName).join(' · ') || '—'} ·{' '}
                      {c.startDate && c.endDate ? `${fmtDate(c.startDate)} – ${fmtDate(c.endDate)}` : t('dash.noDates')}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
          <nav class="pager" aria-label={t('list.pages')}>
            <button type="button" class="btn btn-secondary" disabled={f.page <= 1} onClick={() => go({ page: f.page - 1 })}>
              {t('list.prev')}
            </button>
            <span>{t('list.page', { n: f.page, of: pages })}</span>
            <button type="button" class="btn btn-secondary" disabled={f.page >= pages} onClick={() => go({ page: f.page + 1 })}>
              {t('list.next')}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
