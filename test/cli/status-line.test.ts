import { afterEach, describe, expect, it, vi } from 'vitest';
import { endStatusLine, statusLine } from '../../cli/status-line.js';

describe('a status line (calibrate)', () => {
  afterEach(() => vi.restoreAllMocks());
  const capture = () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    return written;
  };

  it('on a terminal rewrites one line in place, and ends it before any message after (once)', () => {
    const written = capture();
    const status = statusLine(30_000, true);
    status.say('calibrate: draw 1/2');
    status.say('calibrate: draw 2/2');
    expect(written).toEqual(['\rcalibrate: draw 1/2\x1b[K', '\rcalibrate: draw 2/2\x1b[K']);
    status.end();
    endStatusLine(); // an interrupt's message after: the line is ended already
    expect(written.slice(2)).toEqual(['\n']);
    status.end();
    expect(written).toHaveLength(3);
  });

  it('in a log writes whole lines: the first, then one an interval and every one marked always', () => {
    const written = capture();
    const status = statusLine(60_000, false);
    status.say('a');
    status.say('b');
    status.say('c', true);
    status.end();
    expect(written).toEqual(['a\n', 'c\n']);
    written.length = 0;
    const every = statusLine(0, false);
    every.say('a');
    every.say('b');
    expect(written).toEqual(['a\n', 'b\n']);
  });
});
