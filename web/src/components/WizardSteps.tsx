// The wizard's progress bar (TRIP-090): four steps, earlier ones always open, later ones
// only when everything before them is complete (the trip detail lists what is missing).
import type { TripDetail } from '../api/types';
import { trips } from '../api/endpoints';
import { t } from '../i18n';
import { STEPS, blockers, reachable, stepPath } from '../lib/wizard';
import { useAsync } from '../lib/useAsync';

export function WizardSteps({ trip, tripId, current }: { trip?: TripDetail; tripId?: string; current: number }) {
  const fetched = useAsync(() => (trip || !tripId ? Promise.resolve(undefined) : trips.get(tripId)), [tripId, !!trip]);
  const tr = trip ?? fetched.data;
  const id = tr?.id ?? tripId;
  const completed = tr?.step.completed ?? [];
  return (
    <nav class="wizard" aria-label={t('wizard.label')}>
      <p class="eyebrow">{t('trip.stepOf', { n: current, of: STEPS.length })}</p>
      <ol>
        {STEPS.map((s, i) => {
          const n = i + 1;
          const done = completed.includes(s);
          const open = !!id && reachable(n, current, completed);
          const label = t(`wizard.${s}` as 'wizard.basicSettings');
          const why = open ? [] : blockers(tr, n);
          const cls = `wizard-step${n === current ? ' current' : ''}${done ? ' done' : ''}${open ? '' : ' locked'}`;
          return (
            <li class={cls}>
              {open && n !== current ? (
                <a href={stepPath(id, s)}>
                  <span class="dot" aria-hidden="true">{done ? '✓' : n}</span>
                  <span class="wizard-label">{label}</span>
                </a>
              ) : (
                <span aria-current={n === current ? 'step' : undefined} aria-disabled={!open || undefined} title={why.join(' ') || undefined}>
                  <span class="dot" aria-hidden="true">{done ? '✓' : n}</span>
                  <span class="wizard-label">{label}</span>
                  {!open && <span class="sr-only"> — {t('wizard.locked')}</span>}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
