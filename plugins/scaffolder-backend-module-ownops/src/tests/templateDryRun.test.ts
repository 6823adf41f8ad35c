import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import Router from 'express-promise-router';
import { promises as fs } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  catalogEntities,
  checkoutTeam,
  guest,
} from '../__testUtils__/fixtures';
import { scaffolderModuleOwnops } from '../module';

const TEMPLATE_DIR = resolve(__dirname, '../../../../examples/template');

/** Stands in for the Ownops backend: the one route the template calls in a dry run. */
const fakeOwnopsBackend = createBackendPlugin({
  pluginId: 'ownops',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/deploy-targets', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['user', 'service'] });
          res.json({ targets: [{ id: 'local', title: 'Local' }] });
        });
        httpRouter.use(router);
      },
    });
  },
});

async function readTemplateFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await readTemplateFiles(path)));
    else files.push(path);
  }
  return files;
}

async function dryRun(
  values: Record<string, unknown>,
  extraFiles: Record<string, string> = {},
) {
  // The mock user of the test backend is a member of team-checkout here.
  const mockUser = mockCredentials.user().principal.userEntityRef;
  const team = {
    ...checkoutTeam,
    relations: [{ type: 'hasMember', targetRef: mockUser }],
  };
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      githubModule,
      scaffolderModuleOwnops,
      fakeOwnopsBackend,
      catalogServiceMock.factory({
        entities: [
          ...catalogEntities.filter(e => e !== checkoutTeam),
          team,
          guest,
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [{ host: 'github.com', token: 'not-used-in-a-dry-run' }],
          },
          ownops: {
            scaffolder: { localPublishDir: '/tmp/ownops-dry-run-services' },
          },
        },
      }),
    ],
  });
  const template = parse(
    await fs.readFile(join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
  );
  const files = await readTemplateFiles(TEMPLATE_DIR);
  const directoryContents = [
    ...(await Promise.all(
      files.map(async file => ({
        path: relative(TEMPLATE_DIR, file),
        base64Content: (await fs.readFile(file)).toString('base64'),
      })),
    )),
    ...Object.entries(extraFiles).map(([path, content]) => ({
      path,
      base64Content: Buffer.from(content).toString('base64'),
    })),
  ];
  return request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', mockCredentials.user.header())
    .send({ template, values, directoryContents });
}

function fileOf(body: any, path: string): string {
  const file = body.directoryContents.find((f: any) => f.path === path);
  if (!file) {
    throw new Error(
      `${path} was not generated; got ${body.directoryContents
        .map((f: any) => f.path)
        .join(', ')}`,
    );
  }
  return Buffer.from(file.base64Content, 'base64').toString('utf8');
}

const values = {
  name: 'orders',
  description: 'Takes orders',
  owner: 'group:default/team-checkout',
  environments: ['staging', 'production'],
  budget: 1500,
  currency: 'USD',
  deployTarget: 'local',
  publishTo: 'local',
};

describe('the "Service with owner tags" template, dry run through the real scaffolder', () => {
  it('generates a service whose every resource carries the owner tags', async () => {
    const response = await dryRun(values);
    expect(response.status).toBe(200);
    const log = response.body.log.map((l: any) => l.body.message).join('\n');
    expect(log).not.toMatch(/error/i);

    const terraform = [
      fileOf(response.body, 'infra/versions.tf'),
      fileOf(response.body, 'infra/main.tf'),
      ...response.body.directoryContents
        .filter(
          (f: any) => f.path.startsWith('infra/') && f.path.endsWith('.tf'),
        )
        .map((f: any) =>
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ),
    ].join('\n');
    expect(terraform).toContain('default_tags');
    expect(terraform).toContain('"component.default.orders"');
    expect(terraform).toContain('"group.default.team-checkout"');
    expect(terraform).toContain('"cc-1001"');
    expect(terraform).toContain('var.environment');
    expect(
      fileOf(response.body, 'infra/environments/production.tfvars'),
    ).toMatch(/environment\s*=\s*"production"/);

    for (const environment of ['staging', 'production']) {
      const manifests = parseAllYaml(
        fileOf(response.body, `k8s/${environment}/deployment.yaml`),
      );
      for (const manifest of manifests) {
        expect(manifest.metadata.labels).toMatchObject({
          'backstage-entity': 'component.default.orders',
          owner: 'group.default.team-checkout',
          'cost-center': 'cc-1001',
          environment,
        });
      }
      const deployment = manifests.find(m => m.kind === 'Deployment');
      expect(deployment.spec.template.metadata.labels.environment).toBe(
        environment,
      );
      expect(deployment.spec.selector.matchLabels).toEqual({
        'app.kubernetes.io/name': 'orders',
      });
    }

    const catalogInfo = parse(fileOf(response.body, 'catalog-info.yaml'));
    expect(catalogInfo.metadata.annotations).toEqual({
      'ownops.io/cost-center': 'cc-1001',
      'ownops.io/environments': 'staging,production',
      'ownops.io/deploy-target': 'local',
    });
    expect(catalogInfo.spec.owner).toBe('group:default/team-checkout');
    expect(log).toContain('Dry run: would register file:');
  });

  it('publishes to GitHub instead when the form says so', async () => {
    const response = await dryRun({
      ...values,
      publishTo: 'github',
      repoUrl: 'github.com?owner=acme&repo=orders',
    });
    expect(response.status).toBe(200);
    const log = response.body.log
      .map((l: { body: { message: string } }) => l.body.message)
      .join('\n');
    expect(log).toContain(
      'Skipping step publish-local because its if condition was false',
    );
    expect(log).toContain(
      'Skipping because publish:github does not support dry-run',
    );
    expect(log).toMatch(
      /Dry run: would register url:.*catalog-info\.yaml and set a monthly budget of 1500 USD/,
    );
    // The tags are stamped and verified the same way before publishing.
    expect(fileOf(response.body, 'k8s/production/deployment.yaml')).toContain(
      'cost-center: cc-1001',
    );
  });

  it.each([
    [{ name: '../etc' }, 'instance.name does not match pattern'],
    [{ name: 'x'.repeat(41) }, 'instance.name does not meet maximum length'],
    [
      { description: 'a ${{ secrets.x }}' },
      'instance.description does not match pattern',
    ],
    [{ budget: -5 }, 'instance.budget must be greater than or equal to 0'],
    [{ budget: 'lots' }, 'instance.budget is not of a type(s) number'],
    [
      { environments: ['Prod'] },
      'instance.environments[0] does not match pattern',
    ],
  ])(
    'the form schema refuses %j before any step runs',
    async (patch, message) => {
      const response = await dryRun({ ...values, ...patch });
      expect(response.status).toBe(400);
      expect(
        response.body.errors.map((e: { stack: string }) => e.stack).join('\n'),
      ).toContain(message);
    },
  );

  it('stops before publishing when a generated manifest cannot be tagged', async () => {
    const response = await dryRun(values, {
      'skeleton/k8s/stray.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: stray',
        'data: {}',
        '',
      ].join('\n'),
    });
    // The failing step ends the dry run with its error; no later step ran.
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      name: 'InputError',
      message:
        'k8s/stray.yaml: cannot tell its environment; with several environments put each manifest under k8s/<environment>/ (staging, production)',
    });
  });
});

function parseAllYaml(source: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { parseAllDocuments } = require('yaml');
  return parseAllDocuments(source).map((d: any) => d.toJS());
}
