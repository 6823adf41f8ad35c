import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import Router from 'express-promise-router';
import { randomUUID } from 'node:crypto';
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
import {
  CapturingRootLogger,
  everyRow,
  everyText,
  placesHolding,
} from '@ownops/backstage-plugin-node/testUtils';

jest.setTimeout(120_000);

const TEMPLATE_DIR = resolve(__dirname, '../../../../examples/template');

/**
 * Stands in for the Ownops backend: its deploy-targets route either answers
 * or refuses with an error body that echoes the caller's credentials and
 * the canary, as a broken proxy might.
 */
function ownopsBackend(options: {
  refuseWith?: string;
  authorizations: string[];
}) {
  return createBackendPlugin({
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
            options.authorizations.push(req.headers.authorization ?? '');
            if (options.refuseWith) {
              res.status(502).json({
                error: {
                  name: 'Error',
                  message: `upstream refused ${req.headers.authorization} (${options.refuseWith})`,
                },
              });
              return;
            }
            res.json({ targets: [{ id: 'local', title: 'Local' }] });
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

async function templateFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(entry =>
      entry.isDirectory()
        ? templateFiles(join(dir, entry.name))
        : [join(dir, entry.name)],
    ),
  );
  return nested.flat();
}

const values = {
  name: 'orders',
  description: 'Takes orders',
  owner: 'group:default/team-checkout',
  environments: ['staging', 'production'],
  budget: 1500,
  currency: 'USD',
  deployTarget: 'local',
};

describe('a canary secret in a template dry run', () => {
  const databases = TestDatabases.create();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it.each([
      ['publishing locally', { publishTo: 'local' }, false],
      [
        'publishing to GitHub',
        {
          publishTo: 'github',
          repoUrl: 'github.com?owner=acme&repo=orders',
        },
        false,
      ],
      [
        'when the Ownops backend refuses, echoing the credentials',
        { publishTo: 'local' },
        true,
      ],
    ])(
      'appears in no log line, response or database row, %s',
      async (_, form, refused) => {
        const canary = `canary-${randomUUID()}`;
        const knex = await databases.init(databaseId);
        const logger = new CapturingRootLogger();
        const mockUser = mockCredentials.user().principal.userEntityRef;
        const authorizations: string[] = [];
        const { server } = await startTestBackend({
          features: [
            scaffolderPlugin,
            githubModule,
            scaffolderModuleOwnops,
            ownopsBackend({
              refuseWith: refused ? canary : undefined,
              authorizations,
            }),
            createServiceFactory({
              service: coreServices.rootLogger,
              deps: {},
              factory: () => logger,
            }),
            mockServices.database.factory({ knex }),
            catalogServiceMock.factory({
              entities: [
                ...catalogEntities.filter(e => e !== checkoutTeam),
                {
                  ...checkoutTeam,
                  relations: [{ type: 'hasMember', targetRef: mockUser }],
                },
                guest,
              ],
            }),
            mockServices.rootConfig.factory({
              data: {
                integrations: {
                  github: [{ host: 'github.com', token: canary }],
                },
                ownops: {
                  scaffolder: {
                    localPublishDir: '/tmp/ownops-dry-run-services',
                  },
                },
              },
            }),
          ],
        });
        const template = parse(
          await fs.readFile(join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
        );
        const directoryContents = await Promise.all(
          (
            await templateFiles(TEMPLATE_DIR)
          ).map(async file => ({
            path: relative(TEMPLATE_DIR, file),
            base64Content: (await fs.readFile(file)).toString('base64'),
          })),
        );
        const response = await request(server)
          .post('/api/scaffolder/v2/dry-run')
          .set('Authorization', mockCredentials.user.header())
          .send({
            template,
            values: { ...values, ...form },
            // Secrets a template may use, as the form's Secret fields send them.
            secrets: { deployKey: canary, backstageToken: canary },
            directoryContents,
          });

        // A failing backend fails the step as a 503 naming it by status
        // only, and with it the dry run.
        expect(response.status).toBe(refused ? 503 : 200);
        expect(response.text).toContain(
          refused
            ? 'the Ownops backend answered 502 Bad Gateway'
            : 'Dry run: would',
        );
        const generated = (response.body.directoryContents ?? [])
          .map((file: { base64Content: string }) =>
            Buffer.from(file.base64Content, 'base64').toString('utf8'),
          )
          .join('\n');
        const places = {
          logs: logger.lines.join('\n'),
          response: `${everyText(response.headers)} ${response.text}`,
          generated,
          database: (await everyRow(knex)).text,
        };
        expect(placesHolding(canary, places)).toEqual([]);
        // The credentials the Ownops backend was called with stay out too.
        expect(authorizations).not.toEqual([]);
        for (const authorization of authorizations) {
          const token = authorization.replace(/^Bearer /, '');
          expect(placesHolding(token, places)).toEqual([]);
        }
      },
    );
  });
});
