// Keyword highlight for search results. The server matches case- and accent-insensitively
// (`cafe` finds `Café`), so the highlight does the same.

export interface Segment {
  text: string;
  hit: boolean;
}

/** One folded char per source char (length-preserving, so indexes map back). */
function foldChar(c: string): string {
  const base = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const l = base.toLowerCase();
  return l.length === 1 ? l : c.toLowerCase().length === 1 ? c.toLowerCase() : c;
}

export function highlight(text: string, keyword: string | undefined): Segment[] {
  const k = (keyword ?? '').trim();
  if (!k || !text) return text ? [{ text, hit: false }] : [];
  const chars = Array.from(text);
  const folded = chars.map(foldChar);
  const needle = Array.from(k).map(foldChar);
  const out: Segment[] = [];
  let plain = '';
  let i = 0;
  while (i < chars.length) {
    let match = i + needle.length <= chars.length;
    for (let j = 0; match && j < needle.length; j++) if (folded[i + j] !== needle[j]) match = false;
    if (match) {
      if (plain) out.push({ text: plain, hit: false });
      plain = '';
      out.push({ text: chars.slice(i, i + needle.length).join(''), hit: true });
      i += needle.length;
    } else {
      plain += chars[i];
      i++;
    }
  }
  if (plain) out.push({ text: plain, hit: false });
  return out;
}
