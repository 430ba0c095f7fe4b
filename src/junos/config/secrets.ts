// Secrets never enter samon (junos-ipsec.md: "pre-shared-key … a secret: never store, log or
// export it"). The tokenizer replaces them with REDACTED before any tree, model or message exists.

export const REDACTED = '<redacted>';

/**
 * Statements whose value is a secret. After one of these words, every word to the end of the
 * line is dropped (except a format selector right after it), and a block it opens is dropped
 * whole. `key` and `community` also cover `manual … key`, OSPF `md5 N key`, SNMP communities.
 */
const SECRET_KEYWORDS: ReadonlySet<string> = new Set([
  'pre-shared-key',
  'secret',
  'password',
  'authentication-key',
  'encrypted-password',
  'key',
  'community',
  'simple-password',
  'authentication-password',
  'privacy-password',
  'shared-secret',
  'private-key',
  'passphrase',
  'plain-text-password-value',
  'md5-key',
]);

/** Words that say how the secret after them is written, not the secret itself. */
const FORMAT_SELECTORS: ReadonlySet<string> = new Set(['ascii-text', 'hexadecimal']);

export function isSecretKeyword(word: string): boolean {
  return SECRET_KEYWORDS.has(word);
}

export function isFormatSelector(word: string): boolean {
  return FORMAT_SELECTORS.has(word);
}

/** `$9$…` (Junos reversible encoding), `$1$`/`$5$`/`$6$` crypt hashes, `$8$` master-password. */
export function looksEncoded(word: string): boolean {
  const at = word.indexOf('$');
  if (at < 0) return false;
  // Linear scan for `$<digits>$` anywhere in the word.
  for (let i = at; i < word.length; i++) {
    if (word.charCodeAt(i) !== 36) continue;
    let j = i + 1;
    while (j < word.length && isDigit(word.charCodeAt(j))) j++;
    if (j > i + 1 && j < word.length && word.charCodeAt(j) === 36) return true;
  }
  return false;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export interface ScrubbedText {
  readonly text: string;
  /** The text ends with a secret keyword (and maybe its format): the value follows it. */
  readonly pending: boolean;
}

/**
 * Free text (annotations, quoted strings): encoded words and whatever follows a secret keyword
 * are redacted.
 */
export function scrubFreeText(text: string): ScrubbedText {
  const parts = text.split(/(\s+)/);
  let state: 'plain' | 'keyword' | 'redacting' = 'plain';
  let changed = false;
  const out: string[] = [];
  for (const part of parts) {
    if (part === '') continue;
    if (part.trim() === '') {
      if (state !== 'redacting') out.push(part);
      continue;
    }
    if (state === 'redacting') continue;
    if (state === 'keyword' && isFormatSelector(part)) {
      out.push(part);
      continue;
    }
    if (state === 'keyword') {
      out.push(REDACTED);
      state = 'redacting';
      changed = true;
      continue;
    }
    if (looksEncoded(part)) {
      out.push(REDACTED);
      changed = true;
      continue;
    }
    out.push(part);
    if (isSecretKeyword(part.replace(/[^a-z0-9-]/gi, '').toLowerCase())) state = 'keyword';
  }
  return { text: changed ? out.join('').trimEnd() : text, pending: state === 'keyword' };
}

export function redactFreeText(text: string): string {
  return scrubFreeText(text).text;
}
