import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

/** A modal confirmation (`<dialog>`): for actions that cannot be taken back or that spend
 * something (sign-out, revoking a share link, a day regeneration). */
export function ConfirmDialog({
  id,
  title,
  children,
  yes,
  danger = false,
  onYes,
  onNo,
}: {
  id: string;
  title: string;
  children: ComponentChildren;
  yes: string;
  danger?: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d || d.open) return;
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', ''); // browsers without <dialog> support
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={`${id}-title`} onCancel={onNo}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div>{children}</div>
      <div class="actions">
        <button type="button" class="btn btn-secondary" onClick={onNo}>
          {t('app.cancel')}
        </button>
        <button type="button" class={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} onClick={onYes}>
          {yes}
        </button>
      </div>
    </dialog>
  );
}
