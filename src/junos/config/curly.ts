import type { TreeBuilder } from './builder.js';
import { collapseRedacted, problem, quoteStatement, type MutableNode } from './builder.js';
import type { Problem } from './problem.js';
import { isSecretKeyword } from './secrets.js';
import type { Token } from './tokens.js';

// The curly-brace form (`show configuration`). Statements end with `;` or open a block `{`.
// Error recovery: a newline ends an unterminated statement, an extra `}` is ignored, missing
// `}` at the end close their blocks; each case is reported with its line.

interface Frame {
  /** Where the block's statements go (a dummy frame keeps braces balanced after an error). */
  readonly node: MutableNode;
  readonly line: number;
  /** The block was opened by a secret statement: its content is dropped. */
  readonly secret: boolean;
}

interface Statement {
  words: string[];
  list: string[] | undefined;
  listClosed: boolean;
  line: number;
  inactive: boolean;
  protect: boolean;
  annotation: string | undefined;
  hasSecret: boolean;
  extraAfterList: boolean;
}

const PREFIXES = new Set(['inactive:', 'protect:', 'replace:']);

/** Statements `KEYWORD NAME { … }` whose instances are named objects. */
const NAMED_CONTAINERS: ReadonlySet<string> = new Set([
  'proposal',
  'policy',
  'gateway',
  'vpn',
  'rule',
  'term',
  'service-set',
  'ca-profile',
  'traffic-selector',
  'profile',
  'client',
  'unit',
  'user',
  'security-zone',
]);

function emptyStatement(): Statement {
  return {
    words: [],
    list: undefined,
    listClosed: false,
    line: 0,
    inactive: false,
    protect: false,
    annotation: undefined,
    hasSecret: false,
    extraAfterList: false,
  };
}

export function parseCurly(
  tokens: readonly Token[],
  builder: TreeBuilder,
  problems: Problem[],
): void {
  const stack: Frame[] = [{ node: builder.root, line: 0, secret: false }];
  let st = emptyStatement();
  let pendingAnnotation: string | undefined;

  const top = (): Frame =>
    stack[stack.length - 1] ?? { node: builder.root, line: 0, secret: false };
  const started = (): boolean =>
    st.words.length > 0 || st.list !== undefined || st.inactive || st.protect;

  /** Adds the statement's path under the current block; returns the node a block opens. */
  const finish = (kind: 'leaf' | 'block'): Frame | undefined => {
    const frame = top();
    const statement = st;
    st = emptyStatement();
    if (statement.list !== undefined && !statement.listClosed) {
      problems.push(
        problem(
          statement.line,
          'parse-unclosed-list',
          `the list in ${quoteStatement(statement.words)} has no closing ]; add it`,
        ),
      );
    }
    if (statement.extraAfterList) {
      problems.push(
        problem(
          statement.line,
          'parse-words-after-list',
          `${quoteStatement(statement.words)}: words after a [ ] list are ignored`,
        ),
      );
    }
    if (frame.secret) return { node: frame.node, line: statement.line, secret: true };
    if (statement.words.length === 0) {
      if (statement.list !== undefined) {
        problems.push(
          problem(
            statement.line,
            'parse-list-without-statement',
            'a [ ] list must follow a statement name',
          ),
        );
      } else if (kind === 'block') {
        problems.push(
          problem(
            statement.line,
            'parse-block-without-statement',
            'a { block must follow a statement name',
          ),
        );
      }
      return kind === 'block'
        ? { node: frame.node, line: statement.line, secret: false }
        : undefined;
    }
    const words = collapseRedacted(statement.words);
    let node = frame.node;
    let first: MutableNode | undefined;
    let second: MutableNode | undefined;
    for (const word of words) {
      node = builder.ensureChild(node, word, statement.line);
      if (first !== undefined) second ??= node;
      first ??= node;
    }
    for (const item of statement.list ?? []) builder.ensureChild(node, item, statement.line);
    // Junos marks a leaf by its keyword (`deactivate … lifetime-seconds`) and a block by its
    // full path (`deactivate … proposal P1`), which is what `display set` prints. An empty
    // named block prints like a leaf (`inactive: proposal P1;`): its name is what is inactive.
    const named = words.length >= 2 && NAMED_CONTAINERS.has(words[0] ?? '');
    const marked = kind === 'block' ? node : named ? (second ?? node) : (first ?? node);
    if (statement.inactive) marked.inactive = true;
    if (statement.protect) marked.protect = true;
    if (statement.annotation !== undefined) marked.annotation = statement.annotation;
    return kind === 'block'
      ? { node, line: statement.line, secret: statement.hasSecret }
      : undefined;
  };

  for (const token of tokens) {
    switch (token.kind) {
      case 'annotation':
        if (!started()) pendingAnnotation = token.text;
        break;
      case 'newline':
        if (st.list !== undefined && !st.listClosed) break;
        if (started()) {
          problems.push(
            problem(
              st.line,
              'parse-missing-semicolon',
              `${quoteStatement(st.words)} does not end with ; or {; add the ;`,
            ),
          );
          finish('leaf');
        }
        break;
      case 'word': {
        if (!started()) {
          st.line = token.line;
          if (pendingAnnotation !== undefined) {
            st.annotation = pendingAnnotation;
            pendingAnnotation = undefined;
          }
          if (PREFIXES.has(token.text)) {
            // `replace:` is a load directive with no meaning in a saved configuration.
            if (token.text === 'inactive:') st.inactive = true;
            if (token.text === 'protect:') st.protect = true;
            if (token.text === 'replace:') st.line = token.line;
            break;
          }
        }
        if (st.list !== undefined && !st.listClosed) {
          st.list.push(token.text);
        } else if (st.listClosed) {
          st.extraAfterList = true;
        } else {
          if (token.redacted === true || (token.quoted !== true && isSecretKeyword(token.text)))
            st.hasSecret = true;
          st.words.push(token.text);
        }
        if (st.line === 0) st.line = token.line;
        break;
      }
      case 'lbracket':
        if (!started()) st.line = token.line;
        if (st.list === undefined) st.list = [];
        else st.extraAfterList = true;
        break;
      case 'rbracket':
        if (st.list !== undefined) st.listClosed = true;
        else
          problems.push(
            problem(token.line, 'parse-unexpected-bracket', 'a ] without a matching ['),
          );
        break;
      case 'semi':
        if (started()) finish('leaf');
        break;
      case 'open': {
        if (!started()) st.line = token.line;
        const frame = finish('block');
        stack.push(frame ?? { node: top().node, line: token.line, secret: top().secret });
        break;
      }
      case 'close':
        if (started()) {
          problems.push(
            problem(
              st.line,
              'parse-missing-semicolon',
              `${quoteStatement(st.words)} does not end with ; before }; add the ;`,
            ),
          );
          finish('leaf');
        }
        if (stack.length > 1) stack.pop();
        else
          problems.push(
            problem(token.line, 'parse-unexpected-brace', 'a } closes no block; remove it'),
          );
        pendingAnnotation = undefined;
        break;
      default: {
        const _exhaustive: never = token.kind;
        void _exhaustive;
      }
    }
  }
  if (started()) {
    problems.push(
      problem(
        st.line,
        'parse-missing-semicolon',
        `${quoteStatement(st.words)} does not end with ;; add the ;`,
      ),
    );
    finish('leaf');
  }
  for (let k = stack.length - 1; k >= 1; k--) {
    const frame = stack[k];
    if (frame === undefined) continue;
    problems.push(
      problem(frame.line, 'parse-missing-brace', 'this block is never closed with }; add the }'),
    );
  }
}
