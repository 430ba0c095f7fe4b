// A static guard for operator regexes (config `syslog.catalog[].pattern`). JavaScript's
// regex engine backtracks, so a pattern like `(a+)+$` takes exponential time on a crafted
// line, and anyone who can send a datagram to the collector can craft lines. This check is
// deliberately simple and conservative; it rejects:
//  - backreferences (`\1`, `\k<name>`) and lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`);
//  - a repeated group that itself contains a quantifier or an alternation (`(a+)+`,
//    `(a|ab)*`, `(?:\s*x)+`), the shape behind exponential backtracking;
//  - more than two `.*` / `.+`, which make backtracking polynomial of high degree.
// What remains can still be quadratic in the worst case (`.*x.*y` on a line without y), so
// operator patterns only ever see the message text after the tag, cut at
// OPERATOR_TEXT_LIMIT characters: the cost per line stays bounded.

export const OPERATOR_TEXT_LIMIT = 2048;
export const OPERATOR_PATTERN_LIMIT = 1000;

interface Frame {
  quantified: boolean;
  alternation: boolean;
}

/** Returns why the pattern is refused, or undefined when it passes. */
export function unsafePatternReason(pattern: string): string | undefined {
  if (pattern.length > OPERATOR_PATTERN_LIMIT) {
    return `pattern longer than ${OPERATOR_PATTERN_LIMIT} characters`;
  }
  const stack: Frame[] = [{ quantified: false, alternation: false }];
  /** What the next quantifier would apply to. */
  let atom: 'none' | 'dot' | 'simple' | Frame = 'none';
  let wildcards = 0;
  const n = pattern.length;
  let i = 0;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (/[1-9]/.test(e)) return 'backreferences are not allowed';
      if (e === 'k' && pattern[i + 2] === '<') return 'backreferences are not allowed';
      atom = 'simple';
      i += 2;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      atom = 'simple';
      i = j + 1;
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?=', i) || pattern.startsWith('(?!', i)) {
        return 'lookahead is not allowed';
      }
      if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) {
        return 'lookbehind is not allowed';
      }
      stack.push({ quantified: false, alternation: false });
      atom = 'none';
      i++;
      // Group syntax, not quantifiers: `(?:` and `(?<name>`.
      if (pattern.startsWith('?:', i)) i += 2;
      else if (pattern.startsWith('?<', i)) {
        const close = pattern.indexOf('>', i);
        if (close < 0) return 'unterminated group name';
        i = close + 1;
      }
      continue;
    }
    if (c === ')') {
      if (stack.length < 2) return 'unbalanced parenthesis';
      const frame = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      if (frame.quantified) parent.quantified = true;
      atom = frame;
      i++;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.alternation = true;
      atom = 'none';
      i++;
      continue;
    }
    const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(pattern.slice(i, i + 24))?.[0];
    if (quantifier) {
      // `?`, `{n}` and `{n,m}` with m ≤ 10 repeat a bounded number of times.
      const counted = /^\{(\d+)(,(\d*))?\}$/.exec(quantifier);
      const bounded =
        quantifier === '?' ||
        (counted !== null &&
          (counted[2] === undefined
            ? Number(counted[1]) <= 10
            : counted[3] !== '' && Number(counted[3]) <= 10));
      if (atom === 'none') return `quantifier ${quantifier} with nothing to repeat`;
      if (!bounded) {
        if (typeof atom === 'object' && (atom.quantified || atom.alternation)) {
          return 'nested quantifier: a repeated group contains a quantifier or an alternation';
        }
        if (atom === 'dot' && /^[*+]$|,\}$/.test(quantifier)) wildcards++;
        if (wildcards > 2) return 'more than two .* or .+';
      }
      stack[stack.length - 1]!.quantified = true;
      atom = 'none';
      i += quantifier.length;
      if (pattern[i] === '?') i++; // lazy
      continue;
    }
    atom = c === '.' ? 'dot' : 'simple';
    i++;
  }
  if (stack.length !== 1) return 'unbalanced parenthesis';
  return undefined;
}
