import { Writable } from 'node:stream';

/** A stream for a test's logger to write to, and the JSON lines written to it, parsed, for the test to read. */
export function logLineSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { stream, lines };
}
