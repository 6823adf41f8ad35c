import {
  Alias,
  isAlias,
  isMap,
  isScalar,
  Node,
  Pair,
  Scalar,
  visit,
  YAMLMap,
} from 'yaml';
import { editManifest, ManifestDocument } from './documents';
import {
  asKubernetesObject,
  isKustomizationFile,
  templatePaths,
} from './objects';

export interface KubernetesStampOptions {
  /** Label key → label-safe value, including the environment label. */
  labels: Record<string, string>;
}

/**
 * Sets the owner labels on every object in a (multi-document) manifest, and
 * on the pod templates of workloads. Selectors are never touched: adding
 * labels keeps them matching. Unchanged documents are returned as they were.
 */
export function stampKubernetesManifest(
  file: string,
  source: string,
  options: KubernetesStampOptions,
): string {
  if (isKustomizationFile(file)) return source;
  return editManifest(file, source, document => {
    const object = asKubernetesObject(document);
    if (!object) return false;
    let changed = setLabels(document, object.root, options.labels);
    for (const path of templatePaths(object.kind)) {
      const template = mapAt(document, object.root, path);
      if (template) {
        changed = setLabels(document, template, options.labels) || changed;
      }
    }
    return changed;
  });
}

/** Follows a path of keys through maps, without creating anything. */
function mapAt(
  document: ManifestDocument,
  root: YAMLMap,
  path: string[],
): YAMLMap | undefined {
  let map: YAMLMap | undefined = root;
  for (const key of path) {
    map = map && ownedMap(document, map, key, false);
  }
  return map;
}

/** `metadata.labels` of `owner` gets every label; returns whether anything changed. */
function setLabels(
  document: ManifestDocument,
  owner: YAMLMap,
  labels: Record<string, string>,
): boolean {
  const metadata = ownedMap(document, owner, 'metadata', true);
  const map = metadata && ownedMap(document, metadata, 'labels', true);
  if (!map) return false;
  let changed = false;
  for (const [key, value] of Object.entries(labels)) {
    const current = map.get(key, true);
    if (isScalar(current)) {
      if (current.value === value) continue;
      current.value = value;
    } else {
      map.set(key, value);
    }
    changed = true;
  }
  return changed;
}

/**
 * The map under `key`, made safe to change: an alias is replaced by a copy
 * of what it points to, and aliases pointing to an anchored map get their own
 * copies first, so a shared map (such as selector labels) is never changed
 * through another path. With `create`, a missing or empty value becomes an
 * empty map.
 */
function ownedMap(
  document: ManifestDocument,
  parent: YAMLMap,
  key: string,
  create: boolean,
): YAMLMap | undefined {
  let node = parent.get(key, true) as Node | undefined;
  if (isAlias(node)) {
    node = copyOf(document, node);
    parent.set(key, node);
  }
  if (isMap(node)) {
    if (node.anchor) detachAliases(document, node);
    return node as YAMLMap;
  }
  const empty = node === undefined || (isScalar(node) && node.value === null);
  if (!create || !empty) return undefined;
  const map = new YAMLMap();
  if (node === undefined && key === 'metadata') {
    // Where people write it: before `spec`.
    parent.items.unshift(new Pair(new Scalar(key), map));
  } else {
    parent.set(key, map);
  }
  return map;
}

function copyOf(document: ManifestDocument, alias: Alias): Node | undefined {
  const target = alias.resolve(document);
  if (!target) return undefined;
  const copy = target.clone() as Node;
  copy.anchor = undefined;
  return copy;
}

function detachAliases(document: ManifestDocument, map: YAMLMap) {
  visit(document, {
    Alias(_key, alias) {
      return alias.resolve(document) === map
        ? copyOf(document, alias)
        : undefined;
    },
  });
  map.anchor = undefined;
}
