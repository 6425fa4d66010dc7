// Reads a file named by the user, counting bytes as they stream in: stat() says 0 for
// /dev/zero, a pipe or /proc files, so a size checked up front is no bound. Reading stops at the
// cap and the caller says the file is too large, instead of the process running out of memory.
import { createReadStream } from 'node:fs';

export class FileTooLarge extends Error {
  override readonly name = 'FileTooLarge';
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/** The file's text; rejects with FileTooLarge past maxBytes, with the fs error otherwise. */
export async function readFileCapped(path: string, maxBytes: number): Promise<string> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new FileTooLarge(maxBytes);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
