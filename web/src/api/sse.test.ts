import { expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse';

it('parses events split across chunks and CRLF lines', () => {
  const got: SseEvent[] = [];
  const p = new SseParser((e) => got.push(e));
  p.push('id: 1\nevent: status\ndata: {"a"');
  p.push(':1}\n\n: keep-alive\n\nid: 2\r');
  p.push('\nevent: status\r\ndata: x\r\ndata: y\r\n\r\n');
  expect(got).toEqual([
    { id: '1', event: 'status', data: '{"a":1}' },
    { id: '2', event: 'status', data: 'x\ny' },
  ]);
});
