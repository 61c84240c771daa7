// How the checkup screens arrange and draw results: the display groups of spec §5 (not the
// scoring groups), status colours that pass WCAG AA as text on white, and band geometry.
import type { Band, Bands, CheckupItem, Status } from '../api/types';
import type { Key } from '../texts';

/** Display groups in screen order, each with its item codes (spec §5, checkup history). */
export const DISPLAY_GROUPS: { key: Key; codes: string[] }[] = [
  { key: 'grp.body', codes: ['height', 'weight', 'bmi', 'waist'] },
  { key: 'grp.pressure', codes: ['sbp', 'dbp'] },
  { key: 'grp.sugar', codes: ['glucose'] },
  { key: 'grp.lipids', codes: ['total_chol', 'tg', 'hdl', 'ldl'] },
  { key: 'grp.liver', codes: ['ast', 'alt', 'ggt'] },
  { key: 'grp.kidney', codes: ['urine_protein', 'creatinine', 'egfr'] },
  { key: 'grp.blood', codes: ['hemoglobin'] },
  { key: 'grp.lifestyle', codes: ['smoking', 'drinking'] },
  { key: 'grp.senses', codes: ['vision_left', 'vision_right', 'hearing_left', 'hearing_right', 'oral_exam', 'caries', 'tartar'] },
];

export interface ItemGroup {
  key: Key;
  items: CheckupItem[];
  /** The worst status among its items (null when none is judged). */
  worst: Status | null;
}

const RANK: Record<Status, number> = { normal: 0, warning: 1, danger: 2 };

export function worstOf(statuses: (string | null | undefined)[]): Status | null {
  let w: Status | null = null;
  for (const s of statuses) if (s && s in RANK && (w === null || RANK[s as Status] > RANK[w])) w = s as Status;
  return w;
}

/** The items of a checkup in display groups (empty groups left out, unknown codes last). */
export function groupItems(items: CheckupItem[]): ItemGroup[] {
  const known = new Set(DISPLAY_GROUPS.flatMap((g) => g.codes));
  const groups = DISPLAY_GROUPS.map((g) => {
    const its = g.codes.flatMap((c) => items.filter((i) => i.code === c));
    return { key: g.key, items: its, worst: worstOf(its.map((i) => i.status)) };
  });
  const other = items.filter((i) => !known.has(i.code));
  if (other.length) groups.push({ key: 'grp.other', items: other, worst: worstOf(other.map((i) => i.status)) });
  return groups.filter((g) => g.items.length > 0);
}

/** Items coded rather than measured: their value is a code, shown as words. */
export const CODED = new Set(['urine_protein', 'smoking', 'drinking', 'hearing_left', 'hearing_right', 'oral_exam', 'caries', 'tartar']);

/** A band as text, e.g. "< 120", "120–139", "≥ 140". */
export function bandText(b: Band): string {
  if (b.min !== undefined && b.min !== null && b.max !== undefined && b.max !== null) return `${b.min}–${b.max}`;
  if (b.min !== undefined && b.min !== null) return `≥ ${b.min}`;
  if (b.max !== undefined && b.max !== null) return `≤ ${b.max}`;
  return '';
}

/** The value range a chart shows: every point, every finite band edge, with a margin. */
export function chartDomain(values: number[], bands: Bands | null | undefined): [number, number] {
  const edges: number[] = [];
  for (const list of [bands?.normal, bands?.warning, bands?.danger])
    for (const b of list ?? []) for (const v of [b.min, b.max]) if (typeof v === 'number' && Number.isFinite(v)) edges.push(v);
  const all = [...values, ...edges];
  if (!all.length) return [0, 1];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.12;
  return [Math.max(0, lo - pad), hi + pad];
}

/** The y-extent [from, to] of each band inside the domain, for shading. */
export function bandRects(bands: Bands | null | undefined, [lo, hi]: [number, number]): { status: Status; from: number; to: number }[] {
  const out: { status: Status; from: number; to: number }[] = [];
  for (const status of ['normal', 'warning', 'danger'] as Status[])
    for (const b of bands?.[status] ?? []) {
      const from = Math.max(lo, b.min ?? lo);
      const to = Math.min(hi, b.max ?? hi);
      if (to > from) out.push({ status, from, to });
    }
  return out;
}
