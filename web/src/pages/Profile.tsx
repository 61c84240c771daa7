// Profile (USER-030): edit name/phone, e-mail change confirmed by a 6-digit code, avatar
// with a preview before upload, password change, sign-out with confirmation.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { users } from '../api/endpoints';
import type { Profile as P } from '../api/types';
import { fieldMessage, t } from '../i18n';
import { Alert, ErrorState, Field, Loading, errorText } from '../components/ui';
import { PageTitle, SignOutButton } from '../components/Layout';
import { useAsync } from '../lib/useAsync';
import { EMAIL_RE } from '../lib/validate';
import { normalizePhone } from '../lib/phone';

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

/** Client-side pre-check of an avatar file (the server checks the content again). */
export function avatarProblem(f: { type: string; size: number }): 'type' | 'size' | undefined {
  if (!['image/jpeg', 'image/png'].includes(f.type)) return 'type';
  if (f.size > AVATAR_MAX_BYTES) return 'size';
  return undefined;
}

function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  return Object.fromEntries(Object.entries(e.fieldErrors()).map(([k, v]) => [k, fieldMessage(v)]));
}

type Msg = { kind: 'ok' | 'error' | 'info'; text: string } | undefined;

function Details({ p, onSaved }: { p: P; onSaved: (p: P) => void }) {
  const [name, setName] = useState(p.name);
  const [phone, setPhone] = useState(p.phone);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<Msg>();
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('v.required');
    if (!phone.trim()) local.phone = t('v.required');
    else if (!normalizePhone(phone)) local.phone = t('v.phone');
    setErrs(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setMsg(undefined);
    try {
      onSaved(await users.updateProfile({ name: name.trim(), phone: normalizePhone(phone) ?? phone.trim() }));
      setMsg({ kind: 'ok', text: t('profile.saved') });
    } catch (err) {
      setErrs(fieldErrors(err));
      setMsg({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="details-title">
      <h2 id="details-title">{t('profile.details')}</h2>
      <Field id="name" label={t('signup.name')} value={name} onValue={setName} error={errs.name} autoComplete="name" />
      <Field id="phone" label={t('signup.phone')} hint={t('signup.phoneHint')} value={phone} onValue={setPhone} error={errs.phone} type="tel" autoComplete="tel" />
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <button class="btn btn-primary" type="submit" disabled={busy}>
        {t('trip.save')}
      </button>
    </form>
  );
}

function Email({ p, onSaved }: { p: P; onSaved: (p: P) => void }) {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [pending, setPending] = useState<string | undefined>(p.pendingEmail ?? undefined);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<Msg>();
  const [busy, setBusy] = useState(false);
  async function start(e: Event) {
    e.preventDefault();
    if (!EMAIL_RE.test(email.trim())) {
      setErrs({ email: t('v.email') });
      return;
    }
    setBusy(true);
    setErrs({});
    setMsg(undefined);
    try {
      const r = await users.emailChange(email.trim());
      setPending(r.pendingEmail);
      setMsg({ kind: 'info', text: t('profile.codeSent', { email: r.pendingEmail }) });
    } catch (err) {
      setErrs(fieldErrors(err));
      setMsg({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  async function verify(e: Event) {
    e.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setErrs({ code: t('profile.codeFormat') });
      return;
    }
    setBusy(true);
    setErrs({});
    try {
      const np = await users.emailVerify(code.trim());
      onSaved(np);
      setPending(undefined);
      setCode('');
      setEmail('');
      setMsg({ kind: 'ok', text: t('profile.emailChanged', { email: np.email }) });
    } catch (err) {
      const f = fieldErrors(err);
      setErrs(Object.keys(f).length ? f : { code: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-labelledby="email-title">
      <h2 id="email-title">{t('profile.email')}</h2>
      <p>
        {t('profile.currentEmail')} <strong>{p.email}</strong>
      </p>
      {!pending ? (
        <form onSubmit={start} noValidate>
          <Field id="newEmail" label={t('profile.newEmail')} type="email" value={email} onValue={setEmail} error={errs.email} autoComplete="email" />
          <button class="btn btn-secondary" type="submit" disabled={busy}>
            {t('profile.sendCode')}
          </button>
        </form>
      ) : (
        <form onSubmit={verify} noValidate>
          <p class="muted">{t('profile.codeSent', { email: pending })}</p>
          <Field
            id="code"
            label={t('profile.code')}
            inputMode="numeric"
            maxLength={6}
            autoComplete="one-time-code"
            value={code}
            onValue={setCode}
            error={errs.code}
          />
          <div class="actions">
            <button type="button" class="btn btn-secondary" onClick={() => setPending(undefined)}>
              {t('profile.otherEmail')}
            </button>
            <button class="btn btn-primary" type="submit" disabled={busy}>
              {t('profile.confirm')}
            </button>
          </div>
        </form>
      )}
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
    </section>
  );
}

function Avatar({ p, onSaved }: { p: P; onSaved: (p: P) => void }) {
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const [err, setErr] = useState<string>();
  const [msg, setMsg] = useState<Msg>();
  const [busy, setBusy] = useState(false);
  useEffect(() => () => preview && URL.revokeObjectURL(preview), [preview]);
  function pick(e: Event) {
    const f = (e.currentTarget as HTMLInputElement).files?.[0];
    setMsg(undefined);
    if (!f) return;
    const bad = avatarProblem(f);
    if (bad) {
      setErr(t(bad === 'type' ? 'profile.avatarType' : 'profile.avatarSize'));
      setFile(undefined);
      setPreview(undefined);
      return;
    }
    setErr(undefined);
    setFile(f);
    setPreview(URL.createObjectURL(f));
  }
  async function upload() {
    if (!file) return;
    setBusy(true);
    try {
      onSaved(await users.avatar(file, file.name));
      setFile(undefined);
      setPreview(undefined);
      setMsg({ kind: 'ok', text: t('profile.avatarSaved') });
    } catch (e2) {
      setErr(errorText(e2));
    } finally {
      setBusy(false);
    }
  }
  const src = preview ?? p.avatarUrl ?? undefined;
  return (
    <section class="card" aria-labelledby="avatar-title">
      <h2 id="avatar-title">{t('profile.avatar')}</h2>
      <div class="avatar-row">
        {src ? (
          <img class="avatar" src={src} alt={preview ? t('profile.preview') : t('profile.avatar')} width={96} height={96} />
        ) : (
          <span class="avatar avatar-empty" aria-hidden="true">
            {p.name.slice(0, 1)}
          </span>
        )}
        <div class="field">
          <label for="avatarFile">{t('profile.chooseAvatar')}</label>
          <input id="avatarFile" type="file" accept="image/jpeg,image/png" onChange={pick} aria-describedby="avatar-hint" aria-invalid={err ? 'true' : undefined} />
          <small id="avatar-hint" class="hint">
            {t('profile.avatarHint')}
          </small>
          {err && <small class="msg msg-error">{err}</small>}
        </div>
      </div>
      {preview && (
        <button type="button" class="btn btn-primary" disabled={busy} onClick={upload}>
          {t('profile.upload')}
        </button>
      )}
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
    </section>
  );
}

function Password() {
  const [cur, setCur] = useState('');
  const [nw, setNw] = useState('');
  const [conf, setConf] = useState('');
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<Msg>();
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!cur) local.currentPassword = t('v.required');
    if (!nw) local.newPassword = t('v.required');
    if (nw && conf !== nw) local.newPasswordConfirm = t('v.mismatch');
    setErrs(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    setMsg(undefined);
    try {
      await users.password({ currentPassword: cur, newPassword: nw, newPasswordConfirm: conf });
      setCur('');
      setNw('');
      setConf('');
      setMsg({ kind: 'ok', text: t('profile.passwordChanged') });
    } catch (err) {
      setErrs(fieldErrors(err));
      setMsg({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="pw-title">
      <h2 id="pw-title">{t('profile.password')}</h2>
      <Field id="currentPassword" label={t('profile.currentPassword')} type="password" autoComplete="current-password" value={cur} onValue={setCur} error={errs.currentPassword} />
      <Field id="newPassword" label={t('profile.newPassword')} hint={t('signup.passwordHint')} type="password" autoComplete="new-password" value={nw} onValue={setNw} error={errs.newPassword} />
      <Field id="newPasswordConfirm" label={t('signup.passwordConfirm')} type="password" autoComplete="new-password" value={conf} onValue={setConf} error={errs.newPasswordConfirm} />
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <button class="btn btn-primary" type="submit" disabled={busy}>
        {t('profile.changePassword')}
      </button>
    </form>
  );
}

export function Profile() {
  const prof = useAsync(() => users.profile(), []);
  const [p, setP] = useState<P>();
  useEffect(() => {
    if (prof.data) setP(prof.data);
  }, [prof.data]);
  const me = p ?? prof.data;
  if (prof.error !== undefined && !me) return <ErrorState error={prof.error} onRetry={prof.reload} />;
  if (!me) return <Loading />;
  return (
    <section class="page narrow profile">
      <PageTitle>{t('nav.profile')}</PageTitle>
      <p class="muted">
        {t('login.username')}: <strong>{me.username}</strong>
      </p>
      <Avatar p={me} onSaved={setP} />
      <Details p={me} onSaved={setP} />
      <Email p={me} onSaved={setP} />
      <Password />
      <SignOutButton />
    </section>
  );
}
