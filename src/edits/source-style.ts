/** How a source file is written, so inserted lines look like their neighbours. */
export interface SourceStyle {
  quote: "'" | '"';
  semicolon: boolean;
  eol: '\n' | '\r\n';
  /** One level of indentation: two or four spaces, or a tab. */
  indentUnit: string;
}

/** Reads the style off a file's own text. */
export function detectStyle(text: string): SourceStyle {
  const quoteMatch = /(?:from\s+|require\(\s*|import\s+)(['"])/.exec(text);
  const statementEnds = text.split(/\r?\n/).filter((line) => /^\s*(import|const|let|app\.|export)\b/.test(line));
  const withSemicolon = statementEnds.filter((line) => line.trimEnd().endsWith(';')).length;
  const indentMatch = /^(\t| {2,4})\S/m.exec(text);
  return {
    quote: quoteMatch?.[1] === '"' ? '"' : "'",
    semicolon: statementEnds.length === 0 || withSemicolon * 2 >= statementEnds.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    indentUnit: indentMatch?.[1] ?? '  ',
  };
}

/** Offset just past the line that contains `offset` (after its line break), or the end of the text. */
export function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** The whitespace a line starts with. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}
