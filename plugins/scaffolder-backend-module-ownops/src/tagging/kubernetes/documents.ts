import { InputError } from '@backstage/errors';
import {
  Document,
  parseAllDocuments,
  parseDocument,
  ToStringOptions,
} from 'yaml';
import { carryOverLineChanges } from './lineMerge';

export type ManifestDocument = Document.Parsed;

/** Parses every document of a manifest; a syntax error names the file and line. */
export function parseManifest(
  file: string,
  source: string,
): ManifestDocument[] {
  const parsed = parseAllDocuments(source);
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      const line = error.linePos?.[0].line;
      const message = error.message.split(' at line ')[0].split('\n')[0];
      throw new InputError(
        `${file}: YAML syntax error${
          line ? ` on line ${line}` : ''
        }: ${message}`,
      );
    }
  }
  return documents;
}

const FORMAT_CANDIDATES: ToStringOptions[] = [2, 4].flatMap(indent =>
  [true, false].flatMap(indentSeq =>
    [true, false].map(flowCollectionPadding => ({
      indent,
      indentSeq,
      flowCollectionPadding,
      lineWidth: 0,
    })),
  ),
);

/** The rendering options under which the document looks most like its source. */
function inferFormat(document: Document, source: string) {
  const sourceLines = new Set(source.split('\n'));
  let best = FORMAT_CANDIDATES[0];
  let bestScore = -1;
  for (const options of FORMAT_CANDIDATES) {
    const score = document
      .toString(options)
      .split('\n')
      .filter(line => sourceLines.has(line)).length;
    if (score > bestScore) {
      best = options;
      bestScore = score;
    }
  }
  return best;
}

function sameData(a: string, b: string): boolean {
  const left = parseDocument(a);
  const right = parseDocument(b);
  return (
    left.errors.length === 0 &&
    JSON.stringify(left.toJS()) === JSON.stringify(right.toJS())
  );
}

/**
 * Edits documents and writes back only those that changed: each changed
 * document's new rendering is carried over to its source line by line, so
 * untouched lines keep their exact formatting; when that is not possible the
 * document is replaced by the YAML library's rendering (comments kept).
 */
export function editManifest(
  file: string,
  source: string,
  edit: (document: ManifestDocument) => boolean,
): string {
  const documents = parseManifest(file, source);
  const starts = documents.map((document, index) =>
    index === 0 ? 0 : document.range[0],
  );
  let result = '';
  documents.forEach((document, index) => {
    const segment = source.slice(starts[index], starts[index + 1]);
    const original = document.clone();
    if (!edit(document)) {
      result += segment;
      return;
    }
    const format = inferFormat(original, segment);
    const before = original.toString(format);
    const after = document.toString(format);
    const carried =
      before === segment ? after : carryOverLineChanges(segment, before, after);
    result +=
      carried !== undefined && sameData(carried, after) ? carried : after;
  });
  return documents.length > 0 ? result : source;
}
