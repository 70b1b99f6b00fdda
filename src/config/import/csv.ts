/**
 * A small RFC 4180 CSV reader that keeps where each cell is written. Cells are separated by commas; a cell in double
 * quotes may hold commas, line breaks and doubled quotes (""). Lines end in \n, \r\n or \r.
 *
 * Problems are kept with the record they spoil, so that one bad row does not hide the others; only a quote that is
 * never closed spoils the rest of the file.
 */

export interface CsvCell {
  /** The cell's text, quotes removed and "" read as ". */
  readonly value: string;
  /** Offset of the cell's first character (its opening quote, if quoted). */
  readonly start: number;
  readonly quoted: boolean;
}

export interface CsvProblem {
  readonly message: string;
  readonly offset: number;
  readonly hint: string;
}

export interface CsvRecord {
  readonly cells: readonly CsvCell[];
  /** Offset of the record's first character. */
  readonly start: number;
  readonly problems: readonly CsvProblem[];
}

export interface CsvFile {
  readonly records: readonly CsvRecord[];
  /** A quote never closed: everything after it was read as one cell, so nothing from there on can be trusted. */
  readonly fatal?: CsvProblem;
}

export function parseCsv(text: string, from = 0): CsvFile {
  const records: CsvRecord[] = [];
  /** The first quoted cell that runs over a line break: when a quote is never closed, most likely the culprit. */
  let firstMultiline: number | undefined;
  let i = from;
  const n = text.length;
  const atLineEnd = (at: number): boolean => at >= n || text[at] === '\n' || text[at] === '\r';
  const skipLineEnd = (at: number): number => (text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1);

  /** The end of the unquoted text from `at`: the next comma or line end. */
  const UNQUOTED = /[^,\r\n]*/y;
  const unquotedEnd = (at: number): number => {
    UNQUOTED.lastIndex = at;
    UNQUOTED.exec(text);
    return UNQUOTED.lastIndex;
  };

  while (i < n) {
    const recordStart = i;
    const cells: CsvCell[] = [];
    const problems: CsvProblem[] = [];
    for (;;) {
      const cellStart = i;
      if (text[i] === '"') {
        let value = '';
        i++;
        for (;;) {
          const close = text.indexOf('"', i);
          if (close < 0) {
            // A quote left open pairs up with the next row's first quote, so the one open at the end of the file is
            // rarely the one missing its closing quote: the first cell that ran over a line break usually is.
            const suspect = firstMultiline !== undefined && firstMultiline < cellStart;
            return {
              records,
              fatal: {
                message: suspect
                  ? 'a quoted cell runs over a line break and the file ends inside a quote: this cell is most likely missing its closing quote'
                  : 'a quoted cell is never closed: everything after its opening quote was read as one cell',
                offset: suspect ? firstMultiline! : cellStart,
                hint: 'add the closing " at the end of the cell (the examples in Kinde\'s docs leave it out of the last cell of each row)',
              },
            };
          }
          const chunk = text.slice(i, close);
          if (firstMultiline === undefined && /[\r\n]/.test(chunk)) firstMultiline = cellStart;
          value += chunk;
          if (text[close + 1] === '"') {
            value += '"';
            i = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        if (!atLineEnd(i) && text[i] !== ',') {
          problems.push({
            message: 'text after the closing quote of a cell',
            offset: i,
            hint: 'inside a quoted cell, write a quote as two quotes (""); or move the text inside the quotes',
          });
          const end = unquotedEnd(i);
          value += text.slice(i, end);
          i = end;
        }
        cells.push({ value, start: cellStart, quoted: true });
      } else {
        const end = unquotedEnd(i);
        const value = text.slice(i, end);
        const quote = value.indexOf('"');
        if (quote >= 0) {
          problems.push({
            message: 'a quote inside a cell that does not start with one',
            offset: i + quote,
            hint: 'put the whole cell in quotes and write each quote inside it twice, e.g. "O""Brien"',
          });
        }
        i = end;
        cells.push({ value, start: cellStart, quoted: false });
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (i < n) i = skipLineEnd(i);
    // A blank line is not a record with one empty cell: spreadsheets and editors leave them at the end of files.
    if (cells.length === 1 && !cells[0]!.quoted && cells[0]!.value.trim() === '') continue;
    records.push({ cells, start: recordStart, problems });
  }
  return { records };
}

/**
 * The offset in the file of the character at `index` of a cell's value: for pointing at one item of a
 * comma-separated list inside a cell.
 */
export function offsetInCell(text: string, cell: CsvCell, index: number): number {
  let at = cell.start + (cell.quoted ? 1 : 0);
  for (let k = 0; k < index; k++) at += cell.quoted && text[at] === '"' ? 2 : 1;
  return at;
}
