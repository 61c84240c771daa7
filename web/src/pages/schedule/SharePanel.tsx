import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { trips } from '../../api/endpoints';
import { fmtDate, fmtDateTime, t } from '../../i18n';
import { Alert, Loading, errorText } from '../../components/ui';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EXPIRY_CHOICES, type ExpiryChoice, expiresAt, expiryDateBounds } from '../../lib/shareExpiry';

const linkOf = (token: string) => `${location.origin}/shared/${encodeURIComponent(token)}`;

/** The Share panel: opening it shows the trip's current link (GET, never a new one, so a
 * link already sent keeps working) and when it expires. Creating the first link, making a new
 * one (the old one stops working) and stopping sharing are explicit; the last two are
 * confirmed first. A new link lasts as chosen: until revoked, 1/7/30 days, or through a date. */
export function SharePanel({ tripId, onClose, onNotice }: { tripId: string; onClose: () => void; onNotice: (kind: 'ok' | 'info', text: string) => void }) {
  // undefined: loading; null: not shared.
  const [url, setUrl] = useState<string | null>();
  /** When the shown link expires (ISO), null = until revoked. */
  const [expires, setExpires] = useState<string | null>(null);
  const [choice, setChoice] = useState<ExpiryChoice>('none');
  const [date, setDate] = useState('');
  const [error, setError] = useState<unknown>();
  const [confirm, setConfirm] = useState<'rotate' | 'revoke'>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    trips
      .currentShare(tripId)
      .then((r) => {
        if (!live) return;
        setUrl(linkOf(r.token));
        setExpires(r.expiresAt ?? null);
      })
      .catch((e) => {
        if (!live) return;
        if (e instanceof ApiError && e.code === 'SHARE_NOT_FOUND') setUrl(null);
        else setError(e);
      });
    return () => {
      live = false;
    };
  }, [tripId]);

  const bounds = expiryDateBounds(new Date());
  const dateInvalid = choice === 'date' && expiresAt(choice, date, new Date()) === undefined;

  async function create(rotating: boolean) {
    setConfirm(undefined);
    const at = expiresAt(choice, date, new Date());
    if (at === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await trips.share(tripId, at);
      setUrl(linkOf(r.token));
      setExpires(r.expiresAt ?? null);
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
      setExpires(null);
      onNotice('info', t('share.revoked'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const expiry = (
    <div class="share-expiry">
      <label for="share-expiry">{t('share.expiry')}</label>
      <select id="share-expiry" value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value as ExpiryChoice)}>
        {EXPIRY_CHOICES.map((c) => (
          <option key={c} value={c}>
            {t(`share.expiry.${c}`)}
          </option>
        ))}
      </select>
      {choice === 'date' && (
        <div class={dateInvalid && date ? 'field-error' : undefined}>
          <label for="share-expiry-date">{t('share.expiryDate')}</label>
          <input
            id="share-expiry-date"
            type="date"
            min={bounds.min}
            max={bounds.max}
            value={date}
            aria-invalid={dateInvalid && date ? true : undefined}
            aria-describedby={dateInvalid && date ? 'share-expiry-date-msg' : undefined}
            onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)}
          />
          {dateInvalid && date && (
            <p id="share-expiry-date-msg" class="msg msg-error">
              {t('share.expiryDateInvalid', { max: fmtDate(bounds.max) })}
            </p>
          )}
        </div>
      )}
    </div>
  );

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
          {expiry}
          <button type="button" class="btn btn-primary" disabled={busy || dateInvalid} onClick={() => void create(false)}>
            {t('share.create')}
          </button>
        </>
      )}
      {url && (
        <>
          <label for="share-url">{t(expires ? 'share.hintExpiring' : 'share.hint')}</label>
          <input id="share-url" readOnly value={url} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          {expires && (
            <p id="share-expires" class="muted">
              {t('share.expiresAt', { time: fmtDateTime(expires) })}
            </p>
          )}
          {expiry}
          <div class="actions">
            <button type="button" class="btn btn-secondary" onClick={() => void navigator.clipboard?.writeText(url).then(() => onNotice('ok', t('share.copied')))}>
              {t('share.copy')}
            </button>
            <button type="button" class="btn btn-secondary" disabled={busy || dateInvalid} onClick={() => setConfirm('rotate')}>
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
