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

/** Published releases, newest first (as GitHub lists them); drafts left out. */
export async function listReleases(
  client: GithubRepoClient,
  signal: AbortSignal,
): Promise<AvailableVersion[]> {
  const releases = await client.paginate<Release>(
    '/releases',
    {
      action: 'list releases',
      permission: 'contents: read',
      notFound: `repository ${client.slug} was not found`,
    },
    { signal, max: MAX_VERSIONS },
  );
  return releases
    .filter(release => !release.draft && release.tag_name)
    .map(release => {
      const description = describeRelease(release);
      return description
        ? { version: release.tag_name, description }
        : { version: release.tag_name };
    });
}

/** Tags, in GitHub's order (newest refs first for semantic versions). */
export async function listTags(
  client: GithubRepoClient,
  signal: AbortSignal,
): Promise<AvailableVersion[]> {
  const tags = await client.paginate<Tag>(
    '/tags',
    {
      action: 'list tags',
      permission: 'contents: read',
      notFound: `repository ${client.slug} was not found`,
    },
    { signal, max: MAX_VERSIONS },
  );
  return tags
    .filter(tag => tag.name)
    .map(tag =>
      tag.commit?.sha
        ? { version: tag.name, description: tag.commit.sha.slice(0, 7) }
        : { version: tag.name },
    );
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
