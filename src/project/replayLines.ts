import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Lines of a byte stream, as `samon parse` reads them: split on LF (a CR before it is dropped;
 * a lone CR stays, kmd writes raw bytes into some fields), UTF-8 with replacement characters,
 * a last line without a newline included. `onBytes` reports progress.
 */
export async function* streamLines(
  stream: Readable,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  const cut = (text: string, start: number, end: number) =>
    text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    onBytes?.(chunk.length);
    const text = carry + decoder.write(chunk);
    let start = 0;
    let newline = text.indexOf('\n', carry.length);
    const lines: string[] = [];
    while (newline >= 0) {
      lines.push(cut(text, start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    carry = start === 0 ? text : text.slice(start);
    yield* lines;
  }
  const rest = carry + decoder.end();
  if (rest.length) yield cut(rest, 0, rest.length);
}
