import { missingKeys, TagProblem } from '../problems';
import { parseManifest } from './documents';
import {
  asKubernetesObject,
  isKustomizationFile,
  podTemplatePath,
} from './objects';

/**
 * Reports every object, and every workload's pod template, that lacks a
 * required label.
 */
export function verifyKubernetesManifest(
  file: string,
  source: string,
  requiredKeys: string[],
): TagProblem[] {
  if (isKustomizationFile(file)) return [];
  const problems: TagProblem[] = [];
  for (const document of parseManifest(file, source)) {
    const object = asKubernetesObject(document);
    if (!object) continue;
    const resource = `${object.kind}/${object.name}`;
    const check = (owner: unknown, name: string) => {
      const missing = missingKeys(requiredKeys, labelKeys(owner));
      if (missing.length > 0) {
        problems.push({ file, resource: name, missingKeys: missing });
      }
    };
    const data: unknown = document.toJS();
    check(data, resource);
    const path = podTemplatePath(object.kind);
    if (path) {
      check(at(data, path), `${resource} pod template`);
    }
  }
  return problems;
}

function at(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (value, key) =>
      value && typeof value === 'object'
        ? (value as Record<string, unknown>)[key]
        : undefined,
    data,
  );
}

/** The keys of `metadata.labels` that have a value. */
function labelKeys(owner: unknown): Set<string> {
  const labels = at(owner, ['metadata', 'labels']);
  if (!labels || typeof labels !== 'object') return new Set();
  return new Set(
    Object.entries(labels)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key]) => key),
  );
}
