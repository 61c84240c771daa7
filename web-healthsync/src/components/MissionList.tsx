// Today's missions with one-tap check-off (HS-GOAL-030): the box toggles completion for
// today (undo the same day), the streak flame and count update, earned points show briefly
// and are announced, and a milestone streak brings its celebration.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { CompletionAnswer, CurrentGoal } from '../api/types';
import { ErrorBox } from './ui';
import { Icon } from './Icon';
import { t } from '../i18n';

export interface Feedback {
  missionId: string;
  earned: number;
  streak: number;
  completed: boolean;
  celebration?: { message: string; badge: string } | null;
}

export function MissionList({ goal, onChange, withNotes = false }: { goal: CurrentGoal; onChange: (g: CurrentGoal) => void; withNotes?: boolean }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [error, setError] = useState<ApiError>();
  const [notes, setNotes] = useState<Record<string, string>>({});

  const toggle = async (missionId: string, done: boolean) => {
    setBusy(missionId);
    setError(undefined);
    try {
      const path = `goals/current/missions/${encodeURIComponent(missionId)}/completion`;
      const note = notes[missionId]?.trim();
      const a = done
        ? await api<CompletionAnswer>(path, { method: 'DELETE' })
        : await api<CompletionAnswer>(path, { method: 'PUT', body: note ? { notes: note } : {} });
      onChange(applyAnswer(goal, a));
      setFeedback({ missionId, earned: a.earnedPoints, streak: a.streak, completed: a.completed, celebration: a.celebration });
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <ErrorBox error={error} />
      <ul class="missions">
        {goal.missions.map((m) => {
          const fb = feedback?.missionId === m.missionId ? feedback : null;
          return (
            <li key={m.missionId} class={m.completedToday ? 'done' : ''}>
              <label class="mission-check">
                <input
                  type="checkbox"
                  checked={m.completedToday}
                  disabled={busy === m.missionId}
                  onChange={() => toggle(m.missionId, m.completedToday)}
                  aria-describedby={`m-${m.missionId}-meta`}
                />
                <span class="mission-title">{m.title}</span>
              </label>
              <div class="mission-meta" id={`m-${m.missionId}-meta`}>
                <span class={`flame${m.currentStreak > 0 ? ' lit' : ''}`}>
                  <Icon name="flame" size={18} />
                  <span class="streak-count" aria-hidden="true">
                    {m.currentStreak}
                  </span>
                  <span class="sr-only">{t('missions.streak', { n: m.currentStreak })}</span>
                </span>
                <span>{t('missions.minutes', { n: m.minutes })}</span>
                <span>{t(`cat.${m.category}` as never)}</span>
                <span>{t('missions.best', { n: m.bestStreak })}</span>
              </div>
              {fb && fb.earned !== 0 && (
                <span class={`points-pop${fb.earned < 0 ? ' minus' : ''}`} aria-hidden="true">
                  {fb.earned > 0 ? `+${fb.earned}` : fb.earned} P
                </span>
              )}
              {withNotes && !m.completedToday && (
                <input
                  class="note"
                  aria-label={t('missions.noteFor', { title: m.title })}
                  placeholder={t('missions.note')}
                  maxLength={200}
                  value={notes[m.missionId] ?? ''}
                  onInput={(e) => setNotes({ ...notes, [m.missionId]: e.currentTarget.value })}
                />
              )}
            </li>
          );
        })}
      </ul>
      <p class="sr-only" role="status" aria-live="polite">
        {feedback
          ? feedback.completed
            ? t('missions.doneAnnounce', { points: feedback.earned, streak: feedback.streak })
            : t('missions.undoAnnounce', { points: -feedback.earned })
          : ''}
      </p>
      {feedback?.celebration && (
        <div class="celebration" role="alert">
          <Icon name="trophy" size={40} class="badge-icon" />
          <div>
            <strong>{t('missions.milestone', { n: feedback.streak })}</strong>
            <p>{feedback.celebration.message}</p>
          </div>
          <button type="button" class="btn secondary" onClick={() => setFeedback({ ...feedback, celebration: null })}>
            {t('app.close')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The goal after a completion or undo: the mission's flags and counters, today's totals. */
export function applyAnswer(goal: CurrentGoal, a: CompletionAnswer): CurrentGoal {
  return {
    ...goal,
    missions: goal.missions.map((m) =>
      m.missionId === a.missionId ? { ...m, completedToday: a.completed, currentStreak: a.streak, bestStreak: a.bestStreak, totalCompleted: a.totalCompleted } : m,
    ),
    todayCompleted: a.todayCompleted,
    totalMissions: a.totalMissions,
    todayRate: a.totalMissions ? Math.round((1000 * a.todayCompleted) / a.totalMissions) / 10 : 0,
    points: { today: goal.points.today + a.earnedPoints, total: a.totalPoints },
  };
}
