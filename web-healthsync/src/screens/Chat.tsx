// AI chat (HS-AI-030): the conversation, suggested questions as chips, referral replies
// highlighted with the emergency numbers, earlier sessions, delete.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { ChatMessages, ChatReply, ChatSessions } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { ErrorBox, SourceTag } from '../components/ui';
import { fmtDateTime, t, useLang } from '../i18n';

interface Turn {
  role: 'user' | 'assistant';
  content: string;
  responseType?: string;
  generatedBy?: string;
}

export function Chat() {
  const lang = useLang();
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [chips, setChips] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const sessions = useAsync(() => api<ChatSessions>('intelligence/chat/sessions', { query: { limit: 10 } }), [lang, sessionId]);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView?.({ block: 'end' }), [turns.length]);
  const starters = [t('chat.s1'), t('chat.s2'), t('chat.s3')];

  const send = async (message: string) => {
    const m = message.trim();
    if (!m || busy) return;
    setBusy(true);
    setError(undefined);
    setTurns((ts) => [...ts, { role: 'user', content: m }]);
    setText('');
    try {
      const r = await api<ChatReply>('intelligence/chat/messages', { method: 'POST', body: { sessionId: sessionId ?? undefined, message: m } });
      setSessionId(r.sessionId);
      setTurns((ts) => [...ts, { role: 'assistant', content: r.reply, responseType: r.responseType, generatedBy: r.generatedBy }]);
      setChips(r.suggestedQuestions);
    } catch (e) {
      setError(e as ApiError);
      // A closed session starts over with the next message.
      if ((e as ApiError).code === 'CHAT_SESSION_NOT_FOUND') setSessionId(null);
    } finally {
      setBusy(false);
    }
  };
  const openSession = async (id: string) => {
    setError(undefined);
    try {
      const page = await api<ChatMessages>(`intelligence/chat/sessions/${id}/messages`, { query: { limit: 100 } });
      const items = [...page.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      setTurns(items.map((i) => ({ role: i.role === 'user' ? 'user' : 'assistant', content: i.content })));
      setSessionId(id);
      setChips([]);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const remove = async (id: string) => {
    if (!confirm(t('chat.confirmDelete'))) return;
    try {
      await api(`intelligence/chat/sessions/${id}`, { method: 'DELETE' });
      if (id === sessionId) {
        setSessionId(null);
        setTurns([]);
      }
      sessions.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('chat.title')}</h1>
      <p class="disclaimer">{t('chat.disclaimer')}</p>
      <div class="conversation" aria-live="polite" aria-busy={busy}>
        {turns.length === 0 && <p class="muted">{t('chat.empty')}</p>}
        {turns.map((m, i) => (
          <div key={i} class={`bubble ${m.role}${m.responseType === 'referral' ? ' referral' : ''}`}>
            <span class="sr-only">{m.role === 'user' ? t('chat.you') : t('chat.assistant')}: </span>
            {m.responseType === 'referral' && (
              <p class="emergency">
                <strong>{t('chat.referral')}</strong>{' '}
                <a href="tel:119">{t('chat.call119')}</a> · <a href="tel:109">{t('chat.call109')}</a>
              </p>
            )}
            <p>{m.content}</p>
            {m.generatedBy && <SourceTag by={m.generatedBy} />}
          </div>
        ))}
        <div ref={end} />
      </div>
      <div class="chips" role="group" aria-label={t('chat.suggested')}>
        {(chips.length ? chips : turns.length ? [] : starters).map((c) => (
          <button key={c} type="button" class="chip-btn" onClick={() => send(c)} disabled={busy}>
            {c}
          </button>
        ))}
      </div>
      <ErrorBox error={error} />
      <form
        class="chat-form"
        onSubmit={(e) => {
          e.preventDefault();
          send(text);
        }}
      >
        <label for="chat-input" class="sr-only">
          {t('chat.input')}
        </label>
        <textarea id="chat-input" rows={2} maxLength={1000} value={text} placeholder={t('chat.placeholder')} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit" class="btn primary" disabled={busy || !text.trim()}>
          {t('chat.send')}
        </button>
      </form>
      {(sessions.data?.items.length ?? 0) > 0 && (
        <details class="sessions">
          <summary>{t('chat.sessions')}</summary>
          <ul>
            {sessions.data?.items.map((s) => (
              <li key={s.sessionId}>
                <button type="button" class="link" onClick={() => openSession(s.sessionId)} aria-current={s.sessionId === sessionId ? 'true' : undefined}>
                  {fmtDateTime(s.lastActivityAt)} · {t('chat.messages', { n: s.messageCount })}
                  {!s.open && ` · ${t('chat.closed')}`}
                </button>
                <button type="button" class="btn small danger" onClick={() => remove(s.sessionId)}>
                  {t('app.delete')}
                  <span class="sr-only">: {fmtDateTime(s.lastActivityAt)}</span>
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="btn secondary"
            onClick={() => {
              setSessionId(null);
              setTurns([]);
              setChips([]);
            }}
          >
            {t('chat.new')}
          </button>
        </details>
      )}
    </>
  );
}
