import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { trips } from '../../api/endpoints';
import { t } from '../../i18n';
import { Alert, Loading, errorText } from '../../components/ui';
import { ConfirmDialog } from '../../components/ConfirmDialog';

const linkOf = (token: string) => `${location.origin}/shared/${encodeURIComponent(token)}`;

/** The Share panel: opening it shows the trip's current link (GET, never a new one, so a
 * link already sent keeps working). Creating the first link, making a new one (the old one
 * stops working) and stopping sharing are explicit; the last two are confirmed first. */
export function SharePanel({ tripId, onClose, onNotice }: { tripId: string; onClose: () => void; onNotice: (kind: 'ok' | 'info', text: string) => void }) {
  // undefined: loading; null: not shared.
  const [url, setUrl] = useState<string | null>();
  const [error, setError] = useState<unknown>();
  const [confirm, setConfirm] = useState<'rotate' | 'revoke'>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    trips
      .currentShare(tripId)
      .then((r) => live && setUrl(linkOf(r.token)))
      .catch((e) => {
        if (!live) return;
        if (e instanceof ApiError && e.code === 'SHARE_NOT_FOUND') setUrl(null);
        else setError(e);
      });
    return () => {
      live = false;
    };
  }, [tripId]);

  async function create(rotating: boolean) {
    setConfirm(undefined);
    setBusy(true);
    setError(undefined);
    try {
      const r = await trips.share(tripId);
      setUrl(linkOf(r.token));
      if (rotating) onNotice('ok', t('share.rotated'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    setConfirm(undefined);
    setBusy(true);
    try {
      await trips.unshare(tripId);
      setUrl(null);
      onNotice('info', t('share.revoked'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card panel" aria-labelledby="share-title">
      <div class="panel-head">
        <h2 id="share-title">{t('share.title')}</h2>
        <button type="button" class="btn btn-link" onClick={onClose}>
          {t('app.close')}
        </button>
      </div>
      {error !== undefined && <Alert>{errorText(error)}</Alert>}
      {url === undefined && error === undefined && <Loading />}
      {url === null && (
        <>
          <p>{t('share.none')}</p>
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void create(false)}>
            {t('share.create')}
          </button>
        </>
      )}
      {url && (
        <>
          <label for="share-url">{t('share.hint')}</label>
          <input id="share-url" readOnly value={url} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <div class="actions">
            <button type="button" class="btn btn-secondary" onClick={() => void navigator.clipboard?.writeText(url).then(() => onNotice('ok', t('share.copied')))}>
              {t('share.copy')}
            </button>
            <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => setConfirm('rotate')}>
              {t('share.rotate')}
            </button>
            <button type="button" class="btn btn-danger" disabled={busy} onClick={() => setConfirm('revoke')}>
              {t('share.revoke')}
            </button>
          </div>
        </>
      )}
      {confirm === 'rotate' && (
        <ConfirmDialog id="share-rotate" title={t('share.rotateTitle')} yes={t('share.rotate')} onYes={() => void create(true)} onNo={() => setConfirm(undefined)}>
          <p>{t('share.rotateText')}</p>
        </ConfirmDialog>
      )}
      {confirm === 'revoke' && (
        <ConfirmDialog id="share-revoke" title={t('share.revokeTitle')} yes={t('share.revoke')} danger onYes={() => void revoke()} onNo={() => setConfirm(undefined)}>
          <p>{t('share.revokeText')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
