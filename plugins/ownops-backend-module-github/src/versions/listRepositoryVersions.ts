import { AvailableVersion } from '@ownops/backstage-plugin-common';
import { GithubRepoClient } from '../api/GithubRepoClient';

/** Versions offered at most: the newest releases or tags. */
export const MAX_VERSIONS = 100;

interface Release {
  tag_name: string;
  name?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  published_at?: string | null;
}

interface Tag {
  name: string;
  commit?: { sha?: string };
}

/**
 * The versions a repository offers, newest first as GitHub lists them, at
 * most {@link MAX_VERSIONS}: published release tags (drafts left out), or
 * tags with their commit.
 */
export async function listRepositoryVersions(
  client: GithubRepoClient,
  source: 'releases' | 'tags',
  signal: AbortSignal,
): Promise<AvailableVersion[]> {
  const items = await client.paginate<Release & Tag>(
    `/${source}`,
    {
      action: `list ${source}`,
      permission: 'contents: read',
      notFound: `repository ${client.slug} was not found`,
    },
    { signal, max: MAX_VERSIONS },
  );
  return source === 'releases'
    ? items.filter(release => !release.draft && release.tag_name).map(ofRelease)
    : items.filter(tag => tag.name).map(ofTag);
}

function ofRelease(release: Release): AvailableVersion {
  const description = describeRelease(release);
  return description
    ? { version: release.tag_name, description }
    : { version: release.tag_name };
}

function ofTag(tag: Tag): AvailableVersion {
  return tag.commit?.sha
    ? { version: tag.name, description: tag.commit.sha.slice(0, 7) }
    : { version: tag.name };
}

function describeRelease(release: Release): string {
  const parts: string[] = [];
  const title = release.name?.trim();
  if (title && title !== release.tag_name) {
    parts.push(title);
  }
  if (release.prerelease) {
    parts.push('pre-release');
  }
  if (release.published_at) {
    parts.push(`published ${release.published_at.slice(0, 10)}`);
  }
  return parts.join(', ');
}
