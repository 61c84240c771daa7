import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { TrendChart } from './TrendChart';
import { setLang } from '../i18n';

describe('TrendChart', () => {
  it('draws bands, a point per year and a text alternative', () => {
    setLang('en');
    const el = document.createElement('div');
    render(
      <TrendChart
        name="Systolic BP"
        unit="mmHg"
        points={[
          { year: 2022, value: 118, status: 'normal' },
          { year: 2023, value: 131, status: 'warning' },
          { year: 2024, value: 142, status: 'danger' },
        ]}
        bands={{ normal: [{ max: 119 }], warning: [{ min: 120, max: 139 }], danger: [{ min: 140 }] }}
      />,
      el,
    );
    expect(el.querySelectorAll('rect.band').length).toBe(3);
    expect(el.querySelectorAll('circle.dot').length).toBe(3);
    expect(el.querySelector('circle.status-danger')).not.toBeNull();
    expect(el.querySelector('svg')?.getAttribute('aria-label')).toContain('Systolic BP from 2022 to 2024, 3 checkups; latest 142 mmHg');
    expect(el.querySelectorAll('table tbody tr').length).toBe(3);
  });
});
