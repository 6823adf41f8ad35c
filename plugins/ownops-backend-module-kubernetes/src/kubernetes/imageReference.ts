/** A container image reference split as the registry tooling reads it. */
export interface ImageReference {
  /** Registry and repository: `registry.example.com:5000/shop/checkout`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** A valid image tag (the OCI distribution spec's grammar). */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function parseImage(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash belongs to the registry's port.
  if (colon > rest.lastIndexOf('/')) {
    return {
      repository: rest.slice(0, colon),
      tag: rest.slice(colon + 1),
      digest,
    };
  }
  return { repository: rest, digest };
}

/** The version an image runs: its tag, else its digest, else `latest`. */
export function versionOfImage(image: string): string {
  const { tag, digest } = parseImage(image);
  return tag ?? digest ?? 'latest';
}

/** The image with the same repository at another tag; a digest is dropped. */
export function imageWithTag(image: string, tag: string): string {
  return `${parseImage(image).repository}:${tag}`;
}

export function isValidTag(version: string): boolean {
  return TAG_PATTERN.test(version);
}
