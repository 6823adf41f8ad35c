import { InputError } from '@backstage/errors';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { carryOverLineChanges } from './kubernetes/lineMerge';
import {
  formatTagProblems,
  stampKubernetesManifest,
  verifyKubernetesManifest,
} from '.';

const FIXTURES = join(__dirname, '__fixtures__');
const read = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');

const REQUIRED = ['backstage-entity', 'owner', 'cost-center', 'environment'];
const LABELS = {
  'backstage-entity': 'component.default.my-svc',
  owner: 'group.default.team-checkout',
  'cost-center': 'cc-1001',
  environment: 'staging',
};
const stamp = (source: string, file = 'k8s/app.yaml') =>
  stampKubernetesManifest(file, source, { labels: LABELS });

describe('verifyKubernetesManifest', () => {
  it('reports each object and pod template that lacks a label', () => {
    expect(
      formatTagProblems(
        verifyKubernetesManifest(
          'k8s/app.yaml',
          read('k8s/app.yaml'),
          REQUIRED,
        ),
      ),
    ).toBe(
      [
        'k8s/app.yaml: Deployment/my-svc lacks backstage-entity, owner, cost-center',
        'k8s/app.yaml: Deployment/my-svc pod template lacks backstage-entity, owner, cost-center, environment',
        'k8s/app.yaml: Service/my-svc lacks backstage-entity, owner, cost-center, environment',
        'k8s/app.yaml: CronJob/my-svc-cleanup lacks backstage-entity, owner, cost-center, environment',
        'k8s/app.yaml: CronJob/my-svc-cleanup pod template lacks backstage-entity, owner, cost-center, environment',
        'k8s/app.yaml: ConfigMap/my-svc-config lacks backstage-entity, owner, cost-center, environment',
      ].join('\n'),
    );
  });

  it('skips Kustomize files and documents without kind and metadata', () => {
    expect(
      verifyKubernetesManifest(
        'k8s/kustomization.yaml',
        read('k8s/kustomization.yaml'),
        REQUIRED,
      ),
    ).toEqual([]);
    expect(
      verifyKubernetesManifest(
        'k8s/misc.yaml',
        '# nothing\n---\nkind: Kustomization\nmetadata: {}\n---\nfoo: bar\n---\n- a\n',
        REQUIRED,
      ),
    ).toEqual([]);
  });

  it('counts labels reached through aliases, but not empty ones', () => {
    const source = `kind: Deployment
metadata:
  name: web
  labels: &labels
    backstage-entity: a
    owner: b
    cost-center: c
    environment:
spec:
  template:
    metadata:
      labels: *labels
`;
    expect(verifyKubernetesManifest('d.yaml', source, REQUIRED)).toEqual([
      {
        file: 'd.yaml',
        resource: 'Deployment/web',
        missingKeys: ['environment'],
      },
      {
        file: 'd.yaml',
        resource: 'Deployment/web pod template',
        missingKeys: ['environment'],
      },
    ]);
  });

  it('names the file and line of a YAML syntax error', () => {
    const source = 'kind: ConfigMap\nmetadata:\n  name: a\n  labels: {x: 1\n';
    let error: Error | undefined;
    try {
      verifyKubernetesManifest('k8s/bad.yaml', source, REQUIRED);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(
      /^k8s\/bad\.yaml: YAML syntax error on line 5: /,
    );
  });
});

describe('stampKubernetesManifest', () => {
  it('stamps the fixture exactly as expected, only adding lines', () => {
    expect(stamp(read('k8s/app.yaml'))).toBe(read('stamped/k8s/app.yaml'));
  });

  it('leaves nothing to report and changes nothing when stamped again', () => {
    const stamped = stamp(read('k8s/app.yaml'));
    expect(verifyKubernetesManifest('k8s/app.yaml', stamped, REQUIRED)).toEqual(
      [],
    );
    expect(stamp(stamped)).toBe(stamped);
  });

  it('never touches selectors', () => {
    const selectors = (source: string) =>
      parseAllDocuments(source as string)
        .map(document => (document as any).toJS())
        .map(object => [object.spec?.selector, object.spec?.jobTemplate]);
    const before = selectors(read('k8s/app.yaml'));
    const after = selectors(stamp(read('k8s/app.yaml')));
    expect(after[0][0]).toEqual(before[0][0]);
    expect(after[1][0]).toEqual(before[1][0]);
  });

  it('keeps the formatting and comments of the manifest as written', () => {
    const source = `# web
kind: Deployment
metadata:
  name: web   # the name
  labels: {app: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels:
        app: web
        owner: someone-else # replaced value, kept comment
    spec:
      containers:
      - name: web
        args: ['--a', "--b"]
---
kind:    ConfigMap
metadata:
    name: untouched
    labels:
        backstage-entity: component.default.my-svc
        owner: group.default.team-checkout
        cost-center: cc-1001
        environment: staging
`;
    expect(stamp(source)).toBe(`# web
kind: Deployment
metadata:
  name: web   # the name
  labels: {app: web, backstage-entity: component.default.my-svc, owner: group.default.team-checkout, cost-center: cc-1001, environment: staging}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels:
        app: web
        owner: group.default.team-checkout # replaced value, kept comment
        backstage-entity: component.default.my-svc
        cost-center: cc-1001
        environment: staging
    spec:
      containers:
      - name: web
        args: ['--a', "--b"]
---
kind:    ConfigMap
metadata:
    name: untouched
    labels:
        backstage-entity: component.default.my-svc
        owner: group.default.team-checkout
        cost-center: cc-1001
        environment: staging
`);
  });

  it('quotes values only when YAML needs it', () => {
    const stamped = stampKubernetesManifest(
      'cm.yaml',
      'kind: ConfigMap\nmetadata:\n  name: a\n',
      { labels: { plain: 'cc-1001', bool: 'true', number: '1001', empty: '' } },
    );
    expect(stamped).toBe(`kind: ConfigMap
metadata:
  name: a
  labels:
    plain: cc-1001
    bool: "true"
    number: "1001"
    empty: ""
`);
  });

  it('copies shared label maps instead of changing the selector through an alias', () => {
    const source = `kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: &selector
      app: web
  template:
    metadata:
      labels: *selector
`;
    const stamped = stamp(source);
    const [object] = parseAllDocuments(stamped).map(d => (d as any).toJS());
    expect(object.spec.selector.matchLabels).toEqual({ app: 'web' });
    expect(object.spec.template.metadata.labels).toEqual({
      app: 'web',
      ...LABELS,
    });
    expect(verifyKubernetesManifest('d.yaml', stamped, REQUIRED)).toEqual([]);
  });

  it('fills empty labels and adds metadata before the spec of a pod template', () => {
    const source = `kind: Job
metadata:
  name: once
  labels:
spec:
  template:
    spec:
      restartPolicy: Never
`;
    expect(
      stampKubernetesManifest('job.yaml', source, { labels: { owner: 'o' } }),
    ).toBe(`kind: Job
metadata:
  name: once
  labels:
    owner: o
spec:
  template:
    metadata:
      labels:
        owner: o
    spec:
      restartPolicy: Never
`);
  });

  it('leaves Kustomize files, other documents and unchanged manifests byte for byte', () => {
    const kustomization = read('k8s/kustomization.yaml');
    expect(stamp(kustomization, 'k8s/kustomization.yaml')).toBe(kustomization);
    const other =
      '# just data\nfoo:   [1,2]\n---\n---\nkind: Kustomization\nmetadata: {}\n';
    expect(stamp(other, 'k8s/other.yaml')).toBe(other);
    expect(stamp('', 'k8s/empty.yaml')).toBe('');
  });

  it('names the file and line of a YAML syntax error', () => {
    expect(() =>
      stamp(
        'kind: ConfigMap\nmetadata:\n  name: a\n   bad: indent\n',
        'k8s/x.yaml',
      ),
    ).toThrow(
      'k8s/x.yaml: YAML syntax error on line 3: Nested mappings are not allowed in compact mappings',
    );
  });
});

describe('carryOverLineChanges', () => {
  it('applies added and changed lines to differently written text', () => {
    expect(
      carryOverLineChanges(
        'a:   1 # c\nb: 2\nc:  3\n',
        'a: 1 # c\nb: 2\nc: 3\n',
        'a: 1 # c\nb: 5\nx: 9\nc: 3\n',
      ),
    ).toBe('a:   1 # c\nb: 5\nx: 9\nc:  3\n');
  });

  it('gives up when a removed line cannot be found', () => {
    expect(
      carryOverLineChanges('a: 1\nzzz\nyyy\n', 'a: 1\nb: 2\n', 'a: 1\n'),
    ).toBeUndefined();
  });

  it('adds a line break after a last line without one', () => {
    expect(carryOverLineChanges('a: 1', 'a: 1\n', 'a: 1\nb: 2\n')).toBe(
      'a: 1\nb: 2\n',
    );
  });
});
