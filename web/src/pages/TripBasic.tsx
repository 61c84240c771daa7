import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError } from '../api/client';
import { trips } from '../api/endpoints';
import { GENDERS, HEALTH, PREFERENCES, type MemberRequest, type TripDetail } from '../api/types';
import { fieldMessage, t } from '../i18n';
import { Alert, ErrorState, Field, Loading, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { WizardSteps } from '../components/WizardSteps';

interface MemberForm {
  id?: string;
  name: string;
  age: string;
  gender: string;
  healthStatus: string;
  preferences: string[];
}

const blankMember = (): MemberForm => ({ name: '', age: '', gender: '', healthStatus: 'good', preferences: [] });

export function toMemberRequest(m: MemberForm): MemberRequest {
  const age = m.age.trim() === '' ? null : Number(m.age);
  return {
    ...(m.id ? { id: m.id } : {}),
    name: m.name.trim(),
    age: Number.isFinite(age) ? age : null,
    gender: m.gender || null,
    healthStatus: m.healthStatus || null,
    preferences: m.preferences,
  };
}

function MemberCard({
  i,
  m,
  errors,
  onChange,
  onRemove,
}: {
  i: number;
  m: MemberForm;
  errors: Record<string, string>;
  onChange: (m: MemberForm) => void;
  onRemove?: () => void;
}) {
  const p = `members[${i}]`;
  const id = (f: string) => `m${i}-${f}`;
  const e = (f: string) => errors[`${p}.${f}`];
  return (
    <fieldset class="card member-card">
      <legend>{t('trip.member', { n: i + 1 })}</legend>
      <Field id={id('name')} label={t('trip.member.name')} value={m.name} onValue={(name) => onChange({ ...m, name })} error={e('name')} autocomplete="off" />
      <div class="row">
        <Field
          id={id('age')}
          type="number"
          inputMode="numeric"
          min={0}
          max={120}
          label={t('trip.member.age')}
          value={m.age}
          onValue={(age) => onChange({ ...m, age })}
          error={e('age')}
        />
        <div class={`field${e('gender') ? ' field-error' : ''}`}>
          <label for={id('gender')}>{t('trip.member.gender')}</label>
          <select id={id('gender')} value={m.gender} aria-invalid={e('gender') ? 'true' : undefined} onChange={(ev) => onChange({ ...m, gender: (ev.currentTarget as HTMLSelectElement).value })}>
            <option value="">—</option>
            {GENDERS.map((g) => (
              <option value={g}>{t(`gender.${g}`)}</option>
            ))}
          </select>
          {e('gender') && <small class="msg msg-error">{e('gender')}</small>}
        </div>
      </div>
      <div class={`field${e('healthStatus') ? ' field-error' : ''}`}>
        <label for={id('health')}>{t('trip.member.health')}</label>
        <select id={id('health')} value={m.healthStatus} onChange={(ev) => onChange({ ...m, healthStatus: (ev.currentTarget as HTMLSelectElement).value })}>
          {HEALTH.map((h) => (
            <option value={h}>{t(`health.${h}`)}</option>
          ))}
        </select>
        {e('healthStatus') && <small class="msg msg-error">{e('healthStatus')}</small>}
      </div>
      <fieldset class="chips">
        <legend>{t('trip.member.prefs')}</legend>
        {PREFERENCES.map((pr) => (
          <label class="chip">
            <input
              type="checkbox"
              checked={m.preferences.includes(pr)}
              onChange={(ev) => {
                const on = (ev.currentTarget as HTMLInputElement).checked;
                onChange({ ...m, preferences: on ? [...m.preferences, pr] : m.preferences.filter((x) => x !== pr) });
              }}
            />
            <span>{t(`pref.${pr}`)}</span>
          </label>
        ))}
        {e('preferences') && <small class="msg msg-error">{e('preferences')}</small>}
      </fieldset>
      {onRemove && (
        <button type="button" class="btn btn-link danger" onClick={onRemove}>
          {t('trip.member.remove')}
        </button>
      )}
    </fieldset>
  );
}

export function TripBasic() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id as string | undefined;
  const [loading, setLoading] = useState(!!id);
  const [loadError, setLoadError] = useState<unknown>();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'public' | 'car'>('public');
  const [members, setMembers] = useState<MemberForm[]>([blankMember()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!id) return;
    trips.get(id).then(
      (tr: TripDetail) => {
        setName(tr.tripName);
        if (tr.transportMode === 'car' || tr.transportMode === 'public') setMode(tr.transportMode);
        if (tr.members.length)
          setMembers(
            tr.members.map((m) => ({ id: m.id, name: m.name, age: String(m.age), gender: m.gender, healthStatus: m.healthStatus, preferences: [...m.preferences] })),
          );
        setLoading(false);
      },
      (e) => {
        setLoadError(e);
        setLoading(false);
      },
    );
  }, [id]);

  async function submit(ev: Event) {
    ev.preventDefault();
    setError(undefined);
    const local: Record<string, string> = {};
    if (!name.trim()) local.tripName = t('v.required');
    members.forEach((m, i) => {
      if (!m.name.trim()) local[`members[${i}].name`] = t('v.required');
      if (!m.age.trim()) local[`members[${i}].age`] = t('v.required');
      if (!m.gender) local[`members[${i}].gender`] = t('v.required');
    });
    setErrors(local);
    if (Object.keys(local).length) {
      setError(t('v.fixErrors'));
      return;
    }
    setBusy(true);
    const body = { tripName: name.trim(), transportMode: mode, members: members.map(toMemberRequest) };
    try {
      const tr = id ? await trips.basicInfo(id, body) : await trips.create(body);
      route(`/trips/${tr.id}/destinations`);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) {
        setErrors(Object.fromEntries(Object.entries(e.fieldErrors()).map(([k, v]) => [k, fieldMessage(v)])));
        setError(t('v.fixErrors'));
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (loading) return <Loading />;
  if (loadError) return <ErrorState error={loadError} />;
  return (
    <section class="page">
      <WizardSteps tripId={id} current={1} />
      <PageTitle>{t('trip.basic.title')}</PageTitle>
      {error && <Alert>{error}</Alert>}
      <form onSubmit={submit} noValidate>
        <Field id="tripName" label={t('trip.name')} hint={t('trip.nameHint')} maxLength={16} value={name} onValue={setName} error={errors.tripName} />
        <fieldset class="segmented">
          <legend>{t('trip.transport')}</legend>
          {(['public', 'car'] as const).map((v) => (
            <label>
              <input type="radio" name="transportMode" value={v} checked={mode === v} onChange={() => setMode(v)} />
              <span>{t(`trip.transport.${v}`)}</span>
            </label>
          ))}
        </fieldset>
        <h2>{t('trip.members')}</h2>
        {errors.members && <Alert>{errors.members}</Alert>}
        {members.map((m, i) => (
          <MemberCard
            key={i}
            i={i}
            m={m}
            errors={errors}
            onChange={(nm) => setMembers((ms) => ms.map((x, j) => (j === i ? nm : x)))}
            onRemove={members.length > 1 ? () => setMembers((ms) => ms.filter((_, j) => j !== i)) : undefined}
          />
        ))}
        {members.length < 10 && (
          <button type="button" class="btn btn-secondary btn-block" onClick={() => setMembers((ms) => [...ms, blankMember()])}>
            + {t('trip.member.add')}
          </button>
        )}
        <div class="actions">
          <button class="btn btn-primary btn-block" type="submit" disabled={busy} aria-busy={busy}>
            {t('trip.next')}
          </button>
        </div>
      </form>
    </section>
  );
}
