import type { TreeBuilder } from './builder.js';
import { collapseRedacted, problem, quoteStatement, type MutableNode } from './builder.js';
import type { Problem } from './problem.js';
import { redactFreeText } from './secrets.js';
import type { Token } from './tokens.js';

// The `display set` form: one command per line. `set` adds a path, `deactivate`/`activate`
// and `protect`/`unprotect` mark one, `delete` removes one, `annotate PATH "text"` attaches a
// comment, `edit PATH` / `top` move the level the following paths start from.

interface Line {
  readonly line: number;
  readonly words: string[];
  list: string[] | undefined;
  listClosed: boolean;
  stray: boolean;
  afterList: boolean;
}

function splitLines(tokens: readonly Token[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const token of tokens) {
    if (token.kind === 'newline') {
      current = undefined;
      continue;
    }
    if (token.kind === 'annotation') continue;
    if (current === undefined) {
      current = {
        line: token.line,
        words: [],
        list: undefined,
        listClosed: false,
        stray: false,
        afterList: false,
      };
      lines.push(current);
    }
    switch (token.kind) {
      case 'word':
        if (current.list !== undefined && !current.listClosed) current.list.push(token.text);
        else if (current.listClosed) current.afterList = true;
        else current.words.push(token.text);
        break;
      case 'lbracket':
        if (current.list === undefined) current.list = [];
        else current.afterList = true;
        break;
      case 'rbracket':
        if (current.list !== undefined) current.listClosed = true;
        else current.stray = true;
        break;
      case 'open':
      case 'close':
      case 'semi':
        current.stray = true;
        break;
      default: {
        const _exhaustive: never = token.kind;
        void _exhaustive;
      }
    }
  }
  return lines;
}

export function parseSetForm(
  tokens: readonly Token[],
  builder: TreeBuilder,
  problems: Problem[],
): void {
  let level: string[] = [];
  for (const entry of splitLines(tokens)) {
    const [command, ...rest] = entry.words;
    if (command === undefined) {
      problems.push(
        problem(
          entry.line,
          'parse-unknown-command',
          'a line without a command (set, deactivate, …)',
        ),
      );
      continue;
    }
    if (entry.stray) {
      problems.push(
        problem(
          entry.line,
          'parse-unexpected-punctuation',
          `${quoteStatement(entry.words)}: { } ; are not used in set commands; they are ignored`,
        ),
      );
    }
    if (entry.list !== undefined && !entry.listClosed) {
      problems.push(
        problem(
          entry.line,
          'parse-unclosed-list',
          `the list in ${quoteStatement(entry.words)} has no closing ]; add it`,
        ),
      );
    }
    if (entry.afterList) {
      problems.push(
        problem(
          entry.line,
          'parse-words-after-list',
          `${quoteStatement(entry.words)}: words after a [ ] list are ignored`,
        ),
      );
    }
    const path = collapseRedacted([...level, ...rest]);
    switch (command) {
      case 'set': {
        if (rest.length === 0) {
          problems.push(problem(entry.line, 'parse-empty-set', '`set` without a statement'));
          break;
        }
        let node: MutableNode = builder.root;
        for (const word of path) node = builder.ensureChild(node, word, entry.line);
        for (const item of entry.list ?? []) builder.ensureChild(node, item, entry.line);
        break;
      }
      case 'deactivate':
      case 'activate':
      case 'protect':
      case 'unprotect': {
        const node = builder.find(builder.root, path);
        if (node === undefined) {
          problems.push(
            problem(
              entry.line,
              'parse-unknown-statement',
              `\`${command}\` names a statement that is not set: ${quoteStatement(path)}`,
              'warning',
            ),
          );
          break;
        }
        if (command === 'deactivate') node.inactive = true;
        if (command === 'activate') delete node.inactive;
        if (command === 'protect') node.protect = true;
        if (command === 'unprotect') delete node.protect;
        break;
      }
      case 'delete': {
        const parent = builder.find(builder.root, path.slice(0, -1));
        const last = path[path.length - 1];
        if (parent === undefined || last === undefined || !builder.removeChild(parent, last)) {
          problems.push(
            problem(
              entry.line,
              'parse-unknown-statement',
              `\`delete\` names a statement that is not set: ${quoteStatement(path)}`,
              'warning',
            ),
          );
        }
        break;
      }
      case 'annotate': {
        const target = path.slice(0, -1);
        const text = path[path.length - 1];
        const node = builder.find(builder.root, target);
        if (node === undefined || text === undefined) {
          problems.push(
            problem(
              entry.line,
              'parse-unknown-statement',
              `\`annotate\` names a statement that is not set: ${quoteStatement(target)}`,
              'warning',
            ),
          );
          break;
        }
        node.annotation = redactFreeText(text);
        break;
      }
      case 'edit':
        level = path;
        break;
      case 'top':
        level = [];
        break;
      case 'insert':
        problems.push(
          problem(
            entry.line,
            'parse-unsupported-command',
            '`insert` (reordering) is not applied; the order stays as set',
            'info',
          ),
        );
        break;
      default:
        problems.push(
          problem(
            entry.line,
            'parse-unknown-command',
            `${quoteStatement([command])} is not a set-form command (set, deactivate, delete, …); the line is ignored`,
          ),
        );
    }
  }
}
