// Check-off (spec §5): today's missions with checkbox, streak flame and count, points,
// milestone celebration, notes and undo today; links to choose missions again.
import { api } from '../api/client';
import type { CurrentGoal } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { MissionList } from '../components/MissionList';
import { ErrorBox, Loading } from '../components/ui';
import { fmtDay, fmtRate, t, useLang } from '../i18n';

export function Missions() {
  const lang = useLang();
  const goal = useAsync(() => api<CurrentGoal>('goals/current'), [lang]);
  return (
    <>
      <h1 tabIndex={-1}>{t('missions.title')}</h1>
      {goal.loading && !goal.data ? (
        <Loading />
      ) : goal.data ? (
        <>
          <p class="summary">
            {t('missions.summary', { date: fmtDay(goal.data.date), rate: fmtRate(goal.data.todayRate), points: goal.data.points.today, total: goal.data.points.total })}
          </p>
          <p class="hint">{t('missions.undoHint')}</p>
          <MissionList goal={goal.data} onChange={goal.set} withNotes />
          <p class="muted">{t('missions.since', { date: fmtDay(goal.data.startDate, false) })}</p>
          <p>
            <a href="/missions/choose">{t('missions.change')}</a> · <a href="/stats">{t('missions.toStats')}</a>
          </p>
        </>
      ) : goal.error?.code === 'NO_ACTIVE_GOAL' ? (
        <>
          <p>{t('home.noGoal')}</p>
          <a class="btn primary" href="/missions/choose">
            {t('home.chooseMissions')}
          </a>
        </>
      ) : (
        <ErrorBox error={goal.error} retry={goal.reload} />
      )}
    </>
  );
}
