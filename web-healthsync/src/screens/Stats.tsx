// History and statistics (HS-GOAL-040): period 7/30/90 days or custom, period and total
// rates, best streak, daily bars, per-mission rates, the rule insights; and the reset of the
// current missions with a reason (HS-GOAL-050).
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api/client';
import type { GoalHistory } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { isDay, periodFrom } from '../lib/dates';
import { DailyBars } from '../components/DailyBars';
import { Card, ErrorBox, Loading } from '../components/ui';
import { Icon } from '../components/Icon';
import { fmtDay, fmtRate, t, useLang } from '../i18n';

const PERIODS = [7, 30, 90] as const;
const REASONS = ['too_hard', 'too_easy', 'not_relevant', 'no_time', 'other'] as const;

export function Stats() {
  const lang = useLang();
  const [days, setDays] = useState<number | 'custom'>(30);
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [today, setToday] = useState<string | null>(null);
  const query = (): Record<string, string | undefined> => {
    if (days === 'custom') return isDay(custom.from) && isDay(custom.to) ? { from: custom.from, to: custom.to } : {};
    return today ? { from: periodFrom(today, days), to: today } : {};
  };
  const q = query();
  const history = useAsync(async () => {
    const h = await api<GoalHistory>('goals/history', { query: q });
    // The server's "today" (its time zone) anchors the presets.
    if (!today && days === 30) setToday(h.period.to);
    return h;
  }, [lang, q.from, q.to]);

  return (
    <>
      <h1 tabIndex={-1}>{t('stats.title')}</h1>
      <div class="segmented" role="group" aria-label={t('stats.period')}>
        {PERIODS.map((p) => (
          <button key={p} type="button" aria-pressed={days === p} onClick={() => setDays(p)}>
            {t('stats.days', { n: p })}
          </button>
        ))}
        <button type="button" aria-pressed={days === 'custom'} onClick={() => setDays('custom')}>
          {t('stats.custom')}
        </button>
      </div>
      {days === 'custom' && (
        <div class="row">
          <label>
            {t('stats.from')}
            <input type="date" value={custom.from} onInput={(e) => setCustom({ ...custom, from: e.currentTarget.value })} />
          </label>
          <label>
            {t('stats.to')}
            <input type="date" value={custom.to} onInput={(e) => setCustom({ ...custom, to: e.currentTarget.value })} />
          </label>
        </div>
      )}
      {history.loading && !history.data ? (
        <Loading />
      ) : history.data ? (
        <>
          <p class="muted">
            {fmtDay(history.data.period.from, false)} – {fmtDay(history.data.period.to, false)}
          </p>
          <div class="stat-tiles">
            <div>
              <span class="big">{fmtRate(history.data.periodAchievementRate)}</span>
              <span class="muted">{t('stats.periodRate')}</span>
            </div>
            <div>
              <span class="big">{fmtRate(history.data.totalAchievementRate)}</span>
              <span class="muted">{t('stats.totalRate')}</span>
            </div>
            <div>
              <span class="big">
                <Icon name="flame" class="flame-icon" /> {history.data.bestStreak}
              </span>
              <span class="muted">{t('stats.bestStreak')}</span>
            </div>
          </div>
          <Card title={t('stats.daily')} id="daily">
            <DailyBars days={history.data.daily} />
          </Card>
          <Card title={t('stats.perMission')} id="per-mission">
            {history.data.missions.length === 0 ? (
              <p class="muted">{t('stats.noMissions')}</p>
            ) : (
              <ul class="rates">
                {history.data.missions.map((m) => (
                  <li key={m.missionId}>
                    <span>{m.title}</span>
                    <span class="rate-bar" aria-hidden="true">
                      <span style={{ width: `${m.achievementRate ?? 0}%` }} />
                    </span>
                    <span>
                      {fmtRate(m.achievementRate)} <span class="muted">({t('stats.daysDone', { done: m.completedDays, n: m.activeDays })})</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          {history.data.insights.length > 0 && (
            <Card title={t('stats.insights')} id="insights">
              <ul>
                {history.data.insights.map((i) => (
                  <li key={i.kind}>{i.message}</li>
                ))}
              </ul>
            </Card>
          )}
        </>
      ) : (
        <ErrorBox error={history.error} retry={history.reload} />
      )}
      <Reset />
    </>
  );
}

function Reset() {
  const { route } = useLocation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string>('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<ApiError>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api('goals/current/reset', { method: 'POST', body: { reason, comment: comment.trim() || undefined } });
      route('/missions/choose');
    } catch (err) {
      setError(err as ApiError);
    }
  };
  if (!open)
    return (
      <p>
        <button type="button" class="btn secondary" onClick={() => setOpen(true)}>
          {t('reset.open')}
        </button>
      </p>
    );
  return (
    <form class="card form" onSubmit={submit}>
      <h2>{t('reset.title')}</h2>
      <fieldset>
        <legend>{t('reset.reason')}</legend>
        {REASONS.map((r) => (
          <label key={r} class="choice">
            <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} /> {t(`reset.${r}`)}
          </label>
        ))}
      </fieldset>
      <label for="reset-comment">{reason === 'other' ? t('reset.commentRequired') : t('reset.comment')}</label>
      <textarea id="reset-comment" maxLength={200} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" class="btn danger" disabled={!reason}>
          {t('reset.submit')}
        </button>
        <button type="button" class="btn secondary" onClick={() => setOpen(false)}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
