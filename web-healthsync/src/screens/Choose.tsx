// Recommendations and mission selection (HS-AI-020, HS-GOAL-010): 5 mission cards with
// category, difficulty, minutes, benefit, occupation relevance and the reason; choose 1–5
// and confirm to make them the goal.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api/client';
import type { GoalCreated, Recommendation } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { ErrorBox, Loading, SourceTag } from '../components/ui';
import { t, useLang } from '../i18n';

export const MAX_MISSIONS = 5;

export function Choose() {
  const lang = useLang();
  const { route } = useLocation();
  const [refresh, setRefresh] = useState(0);
  const rec = useAsync(() => api<Recommendation>('intelligence/recommendations', { method: 'POST', query: refresh ? { refresh: true } : {} }), [lang, refresh]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : c.length < MAX_MISSIONS ? [...c, id] : c));
  const confirm = async () => {
    if (!rec.data) return;
    setBusy(true);
    setError(undefined);
    try {
      await api<GoalCreated>('goals', { method: 'POST', body: { recommendationId: rec.data.recommendationId, missionIds: chosen } });
      route('/missions');
    } catch (e) {
      setError(e as ApiError);
      // An expired recommendation is replaced by a fresh one.
      if ((e as ApiError).code === 'RECOMMENDATION_EXPIRED') rec.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('choose.title')}</h1>
      {rec.loading && !rec.data ? (
        <Loading />
      ) : !rec.data ? (
        <ErrorBox error={rec.error} retry={rec.reload} />
      ) : (
        <>
          <p class="lead">
            {rec.data.reason} <SourceTag by={rec.data.generatedBy} />
          </p>
          {!rec.data.basedOnCheckup && <p class="notice">{t('choose.noCheckup')}</p>}
          <fieldset class="choose">
            <legend>{t('choose.pick', { max: MAX_MISSIONS })}</legend>
            {rec.data.missions.map((m) => (
              <label key={m.missionId} class={`mission-card${chosen.includes(m.missionId) ? ' chosen' : ''}`}>
                <input type="checkbox" checked={chosen.includes(m.missionId)} onChange={() => toggle(m.missionId)} disabled={!chosen.includes(m.missionId) && chosen.length >= MAX_MISSIONS} />
                <span class="mission-body">
                  <strong>{m.title}</strong>
                  <span class="chips">
                    <span class="chip">{t(`cat.${m.category}` as never)}</span>
                    <span class="chip">{t(`diff.${m.difficulty}` as never)}</span>
                    <span class="chip">{t('missions.minutes', { n: m.minutes })}</span>
                  </span>
                  <span>{m.description}</span>
                  <span class="muted">
                    {t('choose.benefit')}: {m.healthBenefit}
                  </span>
                  <span class="muted">
                    {t('choose.relevance')}: {m.occupationRelevance}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          <ErrorBox error={error} />
          <div class="actions sticky">
            <button type="button" class="btn primary" disabled={busy || chosen.length === 0} onClick={confirm}>
              {t('choose.confirm', { n: chosen.length })}
            </button>
            <button type="button" class="btn secondary" onClick={() => (setChosen([]), setRefresh((n) => n + 1))}>
              {t('choose.refresh')}
            </button>
          </div>
        </>
      )}
    </>
  );
}
