import { t } from '../i18n';

/** Shown instead of the destination form when the server has no cities to plan with. */
export function EmptyCatalogue({ onRetry, busy }: { onRetry: () => void; busy?: boolean }) {
  return (
    <div class="card empty-catalogue" role="status" data-testid="empty-catalogue">
      <h2>{t('catalogue.empty.title')}</h2>
      <p>{t('catalogue.empty.body')}</p>
      <pre>
        <code>tripgen import osm https://download.geofabrik.de/europe/monaco-latest.osm.pbf</code>
      </pre>
      <p>{t('catalogue.empty.bundled')}</p>
      <pre>
        <code>tripgen import osm data/osm</code>
      </pre>
      <p class="muted">{t('catalogue.empty.after')}</p>
      <button type="button" class="btn btn-secondary" onClick={onRetry} disabled={busy} aria-busy={busy}>
        {t('catalogue.empty.retry')}
      </button>
    </div>
  );
}
