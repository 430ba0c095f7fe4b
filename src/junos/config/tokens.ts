import type { Problem } from './problem.js';
import {
  REDACTED,
  isFormatSelector,
  isSecretKeyword,
  looksEncoded,
  redactFreeText,
  scrubFreeText,
} from './secrets.js';
import type { ConfigForm } from './tree.js';

// A hand-written, single-pass tokenizer: linear in the input on any text (no backtracking).

export type TokenKind =
  'word' | 'open' | 'close' | 'semi' | 'lbracket' | 'rbracket' | 'newline' | 'annotation';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  /** The word was a quoted string in the text. */
  readonly quoted?: true;
  /** The word was a secret, replaced by REDACTED. */
  readonly redacted?: true;
}

const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '{': 'open',
  '}': 'close',
  ';': 'semi',
  '[': 'lbracket',
  ']': 'rbracket',
};

const SET_COMMANDS: ReadonlySet<string> = new Set([
  'set',
  'deactivate',
  'activate',
  'delete',
  'protect',
  'unprotect',
  'annotate',
  'edit',
  'top',
  'insert',
]);

/** `display set` when the first statement line starts with a set-form command, curly otherwise. */
export function detectForm(text: string): ConfigForm {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#') || line.startsWith('/*') || line.startsWith('*'))
      continue;
    const first = line.split(/\s/, 1)[0] ?? '';
    return SET_COMMANDS.has(first) ? 'set' : 'curly';
  }
  return 'curly';
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

function isWordEnd(c: string): boolean {
  return isSpace(c) || c === '\n' || c === '"' || c in PUNCTUATION;
}

export interface Tokenized {
  readonly tokens: readonly Token[];
  readonly problems: readonly Problem[];
}

/**
 * Splits configuration text into tokens. Secrets are dropped here: after a secret keyword
 * (even inside a `[ ]` list) every word becomes REDACTED, except a format selector right after the
 * keyword, up to the end of the line — or up to the statement's end (`;`, `{`, `}`) when the
 * value was quoted, as Junos writes it. In the curly form a keyword ending its line carries the
 * redaction to the next line (the value may follow there). Any `$9$`-style word is redacted.
 */
export function tokenize(text: string, form: ConfigForm): Tokenized {
  const tokens: Token[] = [];
  const problems: Problem[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  // mode: off | after a keyword (a format selector may follow) | redacting the value.
  // hadWord: something followed the keyword on its line. untilTerminator: the value was quoted,
  // so the statement's end (`;`, `{`, `}`) ends the redaction rather than the line's end.
  const secret: {
    mode: 'off' | 'selector' | 'value';
    hadWord: boolean;
    untilTerminator: boolean;
  } = { mode: 'off', hadWord: false, untilTerminator: false };
  const startSecret = (): void => {
    secret.mode = 'selector';
    secret.hadWord = false;
    secret.untilTerminator = false;
  };

  const pushWord = (raw: string, at: number, quoted: boolean): void => {
    let redact = looksEncoded(raw);
    if (secret.mode === 'selector' && !quoted && isFormatSelector(raw)) {
      secret.mode = 'value';
    } else if (secret.mode !== 'off') {
      redact = true;
      if (!secret.hadWord) secret.untilTerminator = quoted;
      secret.mode = 'value';
      secret.hadWord = true;
    }
    if (redact) {
      tokens.push({ kind: 'word', text: REDACTED, line: at, redacted: true });
      return;
    }
    if (quoted) {
      // Free text may itself hold a secret statement (`description "old psk: pre-shared-key …"`).
      const scrubbed = scrubFreeText(raw);
      tokens.push({ kind: 'word', text: scrubbed.text, line: at, quoted: true });
      if (scrubbed.pending) startSecret();
      return;
    }
    tokens.push({ kind: 'word', text: raw, line: at });
    // Inside a [ ] list too: an unclosed list must not shelter a secret on the next line.
    if (isSecretKeyword(raw)) startSecret();
  };

  while (i < n) {
    const c = text.charAt(i);
    if (c === '\n') {
      line++;
      i++;
      // A curly-form secret keyword with nothing after it on its line: the value is on the next.
      if (secret.mode !== 'off' && form === 'curly' && !secret.hadWord) continue;
      secret.mode = 'off';
      tokens.push({ kind: 'newline', text: '\n', line: line - 1 });
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && text.charAt(i + 1) === '*') {
      const startLine = line;
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end;
      let body = '';
      for (let j = i + 2; j < stop; j++) {
        const ch = text.charAt(j);
        if (ch === '\n') line++;
        body += ch;
      }
      if (end < 0) {
        problems.push({
          line: startLine,
          severity: 'error',
          rule: 'parse-unterminated-comment',
          message:
            'a /* comment is never closed with */: the rest of the file is ignored; close the comment',
        });
      }
      i = end < 0 ? n : end + 2;
      tokens.push({ kind: 'annotation', text: redactFreeText(body.trim()), line: startLine });
      continue;
    }
    if (c === '"') {
      const startLine = line;
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const ch = text.charAt(j);
        if (ch === '\\' && j + 1 < n && text.charAt(j + 1) !== '\n') {
          value += text.charAt(j + 1);
          j += 2;
          continue;
        }
        if (ch === '"') {
          closed = true;
          j++;
          break;
        }
        // Junos strings do not span lines: an unterminated one ends at its line's end.
        if (ch === '\n') break;
        value += ch;
        j++;
      }
      if (!closed) {
        problems.push({
          line: startLine,
          severity: 'error',
          rule: 'parse-unterminated-string',
          message: 'a quoted string is not closed on its line; add the closing "',
        });
      }
      i = j;
      pushWord(value, startLine, true);
      continue;
    }
    const punctuation = PUNCTUATION[c];
    if (punctuation !== undefined) {
      if (secret.mode !== 'off') secret.hadWord = true;
      if (secret.untilTerminator && punctuation !== 'lbracket' && punctuation !== 'rbracket') {
        secret.mode = 'off';
        secret.untilTerminator = false;
      }
      tokens.push({ kind: punctuation, text: c, line });
      i++;
      continue;
    }
    let j = i;
    while (j < n && !isWordEnd(text.charAt(j))) j++;
    pushWord(text.slice(i, j), line, false);
    i = j;
  }
  return { tokens, problems };
}
