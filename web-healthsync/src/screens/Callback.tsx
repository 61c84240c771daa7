// /auth/callback: the issuer sends the browser back with `code` and `state`; the app posts
// them only for a state this tab started, then goes where the server says (profile
// completion for an incomplete profile).
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api/client';
import { setSession, takeState } from '../api/session';
import type { SignInResponse } from '../api/types';
import { ErrorBox, Loading } from '../components/ui';
import { safeNext } from './Login';
import { t } from '../i18n';

export function Callback() {
  const { query, route } = useLocation();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    const { code, state } = query;
    if (query.error || !code || !state || !takeState(state)) {
      setError(new ApiError(400, 'OIDC_STATE_INVALID', ''));
      return;
    }
    api<SignInResponse>('auth/oidc/callback', { method: 'POST', auth: false, body: { code, state } })
      .then((r) => {
        setSession(r);
        route(r.profileComplete ? safeNext(r.next ?? undefined) ?? '/' : '/profile', true);
      })
      .catch((e) => setError(e as ApiError));
  }, []);
  return (
    <>
      <h1 tabIndex={-1}>{t('login.title')}</h1>
      {error ? (
        <>
          <ErrorBox error={error} />
          <p>
            <a href="/login">{t('login.again')}</a>
          </p>
        </>
      ) : (
        <Loading />
      )}
    </>
  );
}
