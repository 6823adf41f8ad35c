import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_COST_CENTER,
  ANNOTATION_DEPLOY_TARGET,
  ANNOTATION_ENVIRONMENTS,
} from '@ownops/backstage-plugin-common';
import { Document, isMap, parseAllDocuments } from 'yaml';
import { TagProblem } from '../tagging';

/** What the catalog entry of a new service must say about its owner. */
export interface CatalogInfoOwnership {
  entityRef: string;
  ownerRef: string;
  costCenter: string;
  environments: string[];
  deployTarget: string;
}

function expectedAnnotations(ownership: CatalogInfoOwnership) {
  return {
    [ANNOTATION_COST_CENTER]: ownership.costCenter,
    [ANNOTATION_ENVIRONMENTS]: ownership.environments.join(','),
    [ANNOTATION_DEPLOY_TARGET]: ownership.deployTarget,
  };
}

function parseDocuments(file: string, source: string): Document[] {
  const documents = parseAllDocuments(source);
  if (!Array.isArray(documents)) {
    throw new InputError(`${file}: not a YAML document stream`);
  }
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new InputError(
        `${file}${line ? ` line ${line}` : ''}: ${error.message}`,
      );
    }
  }
  return documents;
}

function findEntityDocument(
  documents: Document[],
  entityRef: string,
): Document | undefined {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return documents.find(document => {
    const docKind = document.get('kind');
    const docName = document.getIn(['metadata', 'name']);
    const docNamespace = document.getIn(['metadata', 'namespace']) ?? 'default';
    return (
      typeof docKind === 'string' &&
      docKind.toLocaleLowerCase('en-US') === kind &&
      docName === name &&
      docNamespace === namespace
    );
  });
}

/**
 * Writes the owner, cost center, environments and deploy target into the
 * new component's entry in catalog-info.yaml, keeping everything else.
 */
export function stampCatalogInfo(
  file: string,
  source: string,
  ownership: CatalogInfoOwnership,
): string {
  const documents = parseDocuments(file, source);
  const document = findEntityDocument(documents, ownership.entityRef);
  if (!document) {
    throw new InputError(
      `${file} has no entity ${ownership.entityRef}; the template's skeleton must describe the new component`,
    );
  }
  for (const [key, value] of Object.entries(expectedAnnotations(ownership))) {
    document.setIn(['metadata', 'annotations', key], value);
  }
  const annotations = document.getIn(['metadata', 'annotations'], true);
  if (isMap(annotations)) annotations.flow = false;
  document.setIn(['spec', 'owner'], ownership.ownerRef);
  return documents.map(d => d.toString()).join('');
}

/** Reports what the new component's catalog entry lacks or contradicts. */
export function verifyCatalogInfo(
  file: string,
  source: string,
  ownership: CatalogInfoOwnership,
): TagProblem[] {
  const documents = parseDocuments(file, source);
  const document = findEntityDocument(documents, ownership.entityRef);
  if (!document) {
    return [
      {
        file,
        resource: ownership.entityRef,
        missingKeys: [],
        detail: 'the catalog entry of the new component is missing',
      },
    ];
  }
  const annotations = document.getIn(['metadata', 'annotations']);
  const missingKeys = Object.entries(expectedAnnotations(ownership))
    .filter(
      ([key, value]) =>
        !isMap(annotations) || String(annotations.get(key) ?? '') !== value,
    )
    .map(([key]) => key);
  const owner = document.getIn(['spec', 'owner']);
  let ownerMatches = false;
  try {
    ownerMatches =
      typeof owner === 'string' &&
      stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group' })) ===
        ownership.ownerRef;
  } catch {
    ownerMatches = false;
  }
  if (!ownerMatches) missingKeys.push('spec.owner');
  return missingKeys.length === 0
    ? []
    : [{ file, resource: ownership.entityRef, missingKeys }];
}
