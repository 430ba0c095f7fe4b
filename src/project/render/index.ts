export { codeBlock, codeSpan, escapeMarkdown, renderMarkdown } from './markdown.js';
export type { MarkdownSection } from './markdown.js';
export { fit, renderTable } from './table.js';
export type { TableOptions } from './table.js';
