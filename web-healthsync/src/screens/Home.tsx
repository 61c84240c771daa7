// Home (spec §5): health-score gauge and risk badge, the 3-line diagnosis tagged AI or rules
// with its disclaimer, today's missions with one-tap check-off, today's rate and points, and
// the encouragement message.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Checkup, CurrentGoal, Diagnosis, Encouragement, LinkInfo } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { ScoreGauge } from '../components/Gauge';
import { MissionList } from '../components/MissionList';
import { Card, ErrorBox, Loading, RiskBadge, SampleNotice, SourceTag } from '../components/ui';
import { fmtRate, t, useLang } from '../i18n';
import { useMe } from '../app';

/** Answers that mean "nothing yet" rather than a failure. */
const absent = (e: ApiError | undefined, code: string) => e?.code === code;

export function Home() {
  const lang = useLang();
  const { profile } = useMe();
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<ApiError>();
  const checkup = useAsync(() => api<Checkup>('health/checkups/latest'), [lang]);
  const diagnosis = useAsync(() => api<Diagnosis>('intelligence/diagnosis'), [lang, checkup.data?.checkupId]);
  const goal = useAsync(() => api<CurrentGoal>('goals/current'), [lang]);
  const cheer = useAsync(() => api<Encouragement>('intelligence/encouragement'), [lang, goal.data?.todayCompleted]);

  const sync = async () => {
    setSyncing(true);
    setSyncError(undefined);
    try {
      await api('health/checkups/sync', { method: 'POST' });
      checkup.reload();
    } catch (e) {
      setSyncError(e as ApiError);
    } finally {
      setSyncing(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>{profile?.name ? t('home.hello', { name: profile.name }) : t('home.title')}</h1>
      {cheer.data && (
        <p class="cheer">
          {cheer.data.message}
          {cheer.data.tip && <span class="tip"> {cheer.data.tip}</span>}
        </p>
      )}
      <Card title={t('home.score')} id="score">
        {checkup.loading && !checkup.data ? (
          <Loading />
        ) : checkup.data ? (
          <div class="score-row">
            <ScoreGauge score={checkup.data.healthScore} risk={checkup.data.riskLevel} />
            <div>
              <RiskBadge level={checkup.data.riskLevel} />
              <p class="muted">{t('home.checkupYear', { year: checkup.data.referenceYear })}</p>
              <a href="/checkups">{t('home.toCheckups')}</a>
            </div>
          </div>
        ) : absent(checkup.error, 'CHECKUP_NOT_FOUND') ? (
          <>
            <p>{t('home.noCheckup')}</p>
            <ErrorBox error={syncError} />
            <button type="button" class="btn primary" onClick={sync} disabled={syncing}>
              {t('home.sync')}
            </button>
          </>
        ) : (
          <ErrorBox error={checkup.error} retry={checkup.reload} />
        )}
        {checkup.data && <SampleNotice notice={(checkup.data.link as LinkInfo | undefined)?.notice} />}
      </Card>
      {checkup.data && (
        <Card title={t('home.diagnosis')} id="diag" actions={diagnosis.data && <SourceTag by={diagnosis.data.generatedBy} />}>
          {diagnosis.loading && !diagnosis.data ? (
            <Loading />
          ) : diagnosis.data ? (
            <>
              <ol class="diagnosis">
                {diagnosis.data.lines.map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ol>
              <p class="disclaimer">{diagnosis.data.disclaimer}</p>
            </>
          ) : (
            <ErrorBox error={diagnosis.error} retry={diagnosis.reload} />
          )}
        </Card>
      )}
      <Card title={t('home.today')} id="today" actions={goal.data && <a href="/missions">{t('home.allMissions')}</a>}>
        {goal.loading && !goal.data ? (
          <Loading />
        ) : goal.data ? (
          <>
            <div class="today-stats">
              <div>
                <span class="big">{fmtRate(goal.data.todayRate)}</span>
                <span class="muted">{t('home.todayRate', { done: goal.data.todayCompleted, n: goal.data.totalMissions })}</span>
              </div>
              <div>
                <span class="big">{goal.data.points.total} P</span>
                <span class="muted">{t('home.pointsToday', { n: goal.data.points.today })}</span>
              </div>
            </div>
            <div class="progress" role="progressbar" aria-label={t('home.progress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={goal.data.todayRate}>
              <span style={{ width: `${Math.min(100, goal.data.todayRate)}%` }} />
            </div>
            <MissionList goal={goal.data} onChange={goal.set} />
          </>
        ) : absent(goal.error, 'NO_ACTIVE_GOAL') ? (
          <>
            <p>{t('home.noGoal')}</p>
            <a class="btn primary" href="/missions/choose">
              {t('home.chooseMissions')}
            </a>
          </>
        ) : (
          <ErrorBox error={goal.error} retry={goal.reload} />
        )}
      </Card>
    </>
  );
}
