import { Entity } from '@backstage/catalog-model';
import { readEnvironments } from './environments';
import { describeInvalidVersion } from './validation';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations },
  };
}

describe('readEnvironments', () => {
  it('reads environments with a shared target, per-environment overrides and health checks', () => {
    expect(
      readEnvironments(
        entity({
          'ownops.io/environments': 'staging, production',
          'ownops.io/deploy-target': 'local',
          'ownops.io/deploy-target.production': 'argo-prod',
          'ownops.io/health-check.staging': 'http://localhost:7101/health',
        }),
      ),
    ).toEqual({
      ok: true,
      environments: [
        {
          name: 'staging',
          targetId: 'local',
          healthCheckUrl: 'http://localhost:7101/health',
        },
        { name: 'production', targetId: 'argo-prod' },
      ],
    });
  });

  it('names the missing annotations', () => {
    expect(readEnvironments(entity({}))).toEqual({
      ok: false,
      missingAnnotations: ['ownops.io/environments', 'ownops.io/deploy-target'],
      problems: [],
    });
    expect(
      readEnvironments(entity({ 'ownops.io/environments': 'staging' })),
    ).toEqual({
      ok: false,
      missingAnnotations: ['ownops.io/deploy-target'],
      problems: [],
    });
  });

  it('reports malformed values', () => {
    const result = readEnvironments(
      entity({
        'ownops.io/environments': 'Staging,qa,qa,prod',
        'ownops.io/deploy-target': 'local',
        'ownops.io/health-check.prod': 'file:///etc/passwd',
      }),
    );
    expect(result).toEqual({
      ok: false,
      missingAnnotations: [],
      problems: [
        expect.stringContaining('"Staging" is not a valid environment name'),
        'ownops.io/environments: "qa" is listed twice',
        'ownops.io/health-check.prod: "file:///etc/passwd" is not an http(s) URL',
      ],
    });
  });
});

describe('describeInvalidVersion', () => {
  it.each(['1.2.3', 'v1.2.3-rc.1+build.5', 'a1b2c3d', 'release_2026'])(
    'accepts %s',
    version => expect(describeInvalidVersion(version)).toBeUndefined(),
  );

  it.each([
    ['', 'version is required'],
    [undefined, 'version is required'],
    ['x'.repeat(129), 'version must be at most 128 characters'],
    ['../etc', 'may only contain'],
    ['1.0..1', 'may only contain'],
    ['1.0; rm -rf /', 'may only contain'],
    ['$(id)', 'may only contain'],
    ['-rf', 'may only contain'],
    ['1.0\n2', 'may only contain'],
  ])('refuses %p', (version, message) => {
    expect(describeInvalidVersion(version)).toContain(message);
  });
});
