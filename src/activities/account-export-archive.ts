import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { CancelledFailure, Context } from '@temporalio/activity';
import { pack as tarPack, type Pack } from 'tar-stream';
import { jsonArrayEnd, jsonArrayPiece } from '../domain/account/export-records';

/**
 * The disk side of an account export (docs/account-lifecycle.md, Export): JSON arrays written to staging files
 * page by page with backpressure, and a .tar.gz streamed entry by entry to disk. Nothing here holds more than
 * one page of rows or one photo in memory: a tar header needs each entry's size, which is why JSON is staged to
 * a file first (its size is then known) instead of being generated straight into the archive.
 */

/** Heartbeats (the step's progress, numbers only) and stops when the run was cancelled. */
export function beat(details: Record<string, number | string>): void {
  const ctx = Context.current();
  ctx.heartbeat(details);
  if (ctx.cancellationSignal.aborted) throw new CancelledFailure('account export step cancelled');
}

async function writeChunk(out: fs.WriteStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function closeStream(out: fs.WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(resolve);
  });
}

/** Writes `file` whole or not at all: into a `.part` file, renamed into place once complete. */
async function atomically<T>(file: string, write: (out: fs.WriteStream) => Promise<T>): Promise<T> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const part = `${file}.part`;
  const out = fs.createWriteStream(part);
  try {
    const result = await write(out);
    await closeStream(out);
    await fs.promises.rename(part, file);
    return result;
  } catch (err) {
    out.destroy();
    await fs.promises.rm(part, { force: true });
    throw err;
  }
}

/**
 * Streams the records of `pages` into `file` as one JSON array, heartbeating after each page with the count
 * so far. Returns how many records it wrote.
 */
export async function stageJsonArray(
  file: string,
  pages: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  label: string,
): Promise<number> {
  return atomically(file, async (out) => {
    let written = 0;
    for await (const records of pages) {
      for (const record of records) await writeChunk(out, jsonArrayPiece(record, written++));
      beat({ [label]: written });
    }
    await writeChunk(out, jsonArrayEnd(written));
    return written;
  });
}

/** Writes a small text file (one JSON object, one SVG chart) whole. */
export async function stageText(file: string, text: string): Promise<void> {
  await atomically(file, (out) => writeChunk(out, text));
}

/** Follows a keyset-paged reader from the start to its last page. */
export async function* allPages<Row, Cursor>(
  read: (cursor: Cursor | undefined) => Promise<{ rows: Row[]; next?: Cursor }>,
): AsyncGenerator<Row[]> {
  let cursor: Cursor | undefined;
  for (;;) {
    const page = await read(cursor);
    if (page.rows.length) yield page.rows;
    if (page.next === undefined) return;
    cursor = page.next;
  }
}

/** An archive being written: entries go in one at a time, each waiting for gzip and the disk to take it. */
export interface ArchiveWriter {
  /** Adds a file from disk (its size from the file system). */
  addFile(name: string, file: string): Promise<void>;
  /** Adds bytes already in memory (one photo, the README). */
  addBytes(name: string, bytes: Buffer): Promise<void>;
  /** Finishes the archive; returns its size in bytes. */
  close(): Promise<number>;
  /** Stops writing after a failure (the caller removes the file). */
  destroy(): void;
}

export function createArchiveWriter(file: string, mtime: Date): ArchiveWriter {
  const tar: Pack = tarPack();
  const out = fs.createWriteStream(file);
  const written = pipeline(tar, createGzip(), out);
  // A failure of the pipeline surfaces in close() or in the entry being written; never unhandled.
  written.catch(() => undefined);
  const entry = (name: string, size: number, source: Readable) =>
    new Promise<void>((resolve, reject) => {
      const sink = tar.entry({ name, size, mtime, mode: 0o644 }, (err) => (err ? reject(err) : resolve()));
      source.once('error', (err) => {
        sink.destroy(err);
        reject(err);
      });
      source.pipe(sink as unknown as NodeJS.WritableStream);
    });
  return {
    async addFile(name, source) {
      const { size } = await fs.promises.stat(source);
      await entry(name, size, fs.createReadStream(source));
    },
    async addBytes(name, bytes) {
      await entry(name, bytes.length, Readable.from([bytes]));
    },
    async close() {
      tar.finalize();
      await written;
      return (await fs.promises.stat(file)).size;
    },
    destroy() {
      tar.destroy();
      out.destroy();
    },
  };
}
