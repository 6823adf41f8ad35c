/**
 * A FOCUS file that cannot be read as FOCUS: a missing mandatory column, a
 * malformed cell, broken CSV or a broken gzip stream.
 *
 * `line` is the physical line in a (decompressed) CSV file, 1-based, where
 * the offending row starts; the header is line 1. `row` is the 1-based row
 * of a Parquet file. `column` names the column and its 1-based position.
 */
export class FocusFormatError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
  readonly column?: { name: string; index: number };
  /** Set when the header lacks mandatory columns: every one of them. */
  readonly missingColumns?: string[];
  /** The message without the location. */
  readonly reason: string;

  constructor(options: {
    file: string;
    message: string;
    line?: number;
    row?: number;
    column?: { name: string; index: number };
    missingColumns?: string[];
    cause?: unknown;
  }) {
    const where = [
      options.file,
      options.line !== undefined ? `line ${options.line}` : undefined,
      options.row !== undefined ? `row ${options.row}` : undefined,
      options.column
        ? `column ${options.column.name} (#${options.column.index})`
        : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${options.message}`, { cause: options.cause });
    this.name = 'FocusFormatError';
    this.file = options.file;
    this.line = options.line;
    this.row = options.row;
    this.column = options.column;
    this.missingColumns = options.missingColumns;
    this.reason = options.message;
  }

  /** The same error with another file name, e.g. relative to a folder. */
  withFile(file: string): FocusFormatError {
    return new FocusFormatError({
      file,
      message: this.reason,
      line: this.line,
      row: this.row,
      column: this.column,
      missingColumns: this.missingColumns,
      cause: this.cause,
    });
  }
}
