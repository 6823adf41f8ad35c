import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import {
  ordersOwnership,
  ordersWorkspace,
  testConfig,
} from '../__testUtils__/fixtures';
import { createStampOwnerTagsAction } from './stampOwnerTags';
import { createVerifyOwnerTagsAction } from './verifyOwnerTags';

const config = testConfig();
const stamp = createStampOwnerTagsAction({ config });
const verify = createVerifyOwnerTagsAction({ config });

describe('ownops:tags:stamp and ownops:tags:verify', () => {
  const dir = createMockDirectory();

  beforeEach(() => {
    dir.setContent(ordersWorkspace);
  });

  const context = (input: Record<string, unknown> = ordersOwnership) =>
    createMockActionContext({
      input: input as any,
      workspacePath: dir.path,
    });

  it('stamps every resource, and verify then passes', async () => {
    const stampContext = context();
    await stamp.handler(stampContext as any);
    expect(stampContext.output).toHaveBeenCalledWith('stampedFiles', [
      'catalog-info.yaml',
      'infra/environments/production.tfvars',
      'infra/environments/staging.tfvars',
      'infra/main.tf',
      'infra/ownops-tags.tf',
      'k8s/production/deployment.yaml',
      'k8s/staging/deployment.yaml',
    ]);

    const terraform = await fs.readFile(dir.resolve('infra/main.tf'), 'utf8');
    expect(terraform).toContain('default_tags');
    expect(terraform).toContain('"cost-center"');
    const [deployment] = parseAllDocuments(
      await fs.readFile(dir.resolve('k8s/production/deployment.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(deployment.spec.template.metadata.labels).toEqual({
      app: 'orders',
      'backstage-entity': 'component.default.orders',
      owner: 'group.default.team-checkout',
      'cost-center': 'cc-1001',
      environment: 'production',
    });
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'orders' });
    const catalogInfo = parse(
      await fs.readFile(dir.resolve('catalog-info.yaml'), 'utf8'),
    );
    expect(catalogInfo.metadata.annotations['ownops.io/cost-center']).toBe(
      'cc-1001',
    );

    const verifyContext = context();
    await verify.handler(verifyContext as any);
    expect(verifyContext.output).toHaveBeenCalledWith('checkedFiles', [
      'catalog-info.yaml',
      'infra/main.tf',
      'infra/ownops-tags.tf',
      'k8s/production/deployment.yaml',
      'k8s/staging/deployment.yaml',
    ]);
  });

  it('fails an unstamped workspace naming every file, resource and key', async () => {
    await expect(verify.handler(context() as any)).rejects.toThrow(
      [
        'Owner tags are missing, so nothing was published:',
        'infra/main.tf: aws_s3_bucket.assets lacks backstage-entity, owner, cost-center, environment',
        'k8s/production/deployment.yaml: Deployment/orders lacks backstage-entity, owner, cost-center, environment',
        'k8s/production/deployment.yaml: Deployment/orders pod template lacks backstage-entity, owner, cost-center, environment',
        'k8s/staging/deployment.yaml: Deployment/orders lacks backstage-entity, owner, cost-center, environment',
        'k8s/staging/deployment.yaml: Deployment/orders pod template lacks backstage-entity, owner, cost-center, environment',
        'catalog-info.yaml: component:default/orders lacks ownops.io/cost-center, ownops.io/environments, ownops.io/deploy-target',
      ].join('\n'),
    );
  });

  it.each([
    [
      { terraformDirs: ['../outside'] },
      'terraformDirs[0]: "../outside" must not leave the workspace',
    ],
    [
      { kubernetesDirs: ['/etc'] },
      'kubernetesDirs[0]: "/etc" must be a relative path',
    ],
    [
      { catalogInfoPath: 'a/../../b' },
      'catalogInfoPath: "a/../../b" must not leave the workspace',
    ],
    [{ costCenter: 'cc 1' }, 'costCenter: costCenter "cc 1" may only contain'],
    [
      { ownerRef: 'user:default/guest' },
      'owner: owner "user:default/guest" must be a group',
    ],
    [
      { environments: [] },
      'environments: at least one environment is required',
    ],
  ])('stamp refuses %j and writes nothing', async (patch, message) => {
    await expect(
      stamp.handler(context({ ...ordersOwnership, ...patch }) as any),
    ).rejects.toThrow(message);
    expect(await fs.readFile(dir.resolve('infra/main.tf'), 'utf8')).toBe(
      ordersWorkspace.infra['main.tf'],
    );
  });

  it('stamp writes nothing when one file cannot be stamped', async () => {
    dir.addContent({
      k8s: { 'stray.yaml': 'kind: ConfigMap\nmetadata: { name: x }\n' },
    });
    await expect(stamp.handler(context() as any)).rejects.toThrow(
      'k8s/stray.yaml: cannot tell its environment',
    );
    expect(await fs.readFile(dir.resolve('infra/main.tf'), 'utf8')).toBe(
      ordersWorkspace.infra['main.tf'],
    );
  });

  it('verify refuses a symbolic link anywhere in the workspace', async () => {
    await stamp.handler(context() as any);
    await fs.symlink('/etc/hostname', dir.resolve('infra/hostname'));
    await expect(verify.handler(context() as any)).rejects.toThrow(
      'infra/hostname is a symbolic link; generated files must not contain links',
    );
  });
});
