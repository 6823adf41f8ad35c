import { InputError } from '@backstage/errors';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FileSet,
  formatTagProblems,
  stampTerraform,
  TerraformStampOptions,
  verifyTerraform,
} from '.';

const FIXTURES = join(__dirname, '__fixtures__');

/** The files of a fixture folder as if generated under infra/. */
function fixture(folder: string): FileSet {
  const files: FileSet = {};
  for (const name of readdirSync(join(FIXTURES, folder)).sort()) {
    files[`infra/${name}`] = readFileSync(join(FIXTURES, folder, name), 'utf8');
  }
  return files;
}

const REQUIRED = ['backstage-entity', 'owner', 'cost-center', 'environment'];
const ALL_MISSING = REQUIRED.join(', ');

const SINGLE: TerraformStampOptions = {
  tags: {
    'backstage-entity': 'component.default.my-svc',
    owner: 'group.default.team-checkout',
    'cost-center': 'cc-1001',
  },
  environmentKey: 'environment',
  environments: ['staging'],
};
const MULTI: TerraformStampOptions = {
  ...SINGLE,
  environments: ['staging', 'production'],
};

async function stampAndMerge(files: FileSet, options: TerraformStampOptions) {
  return { ...files, ...(await stampTerraform(files, options)) };
}

describe('verifyTerraform', () => {
  it('reports each aws resource that its provider and own tags leave without a key', async () => {
    expect(
      formatTagProblems(await verifyTerraform(fixture('aws'), REQUIRED)),
    ).toBe(
      [
        'infra/main.tf: aws_s3_bucket.assets lacks backstage-entity, cost-center, environment',
        `infra/main.tf: aws_s3_bucket.replica lacks ${ALL_MISSING}`,
        'infra/main.tf: aws_ecr_repository.app lacks backstage-entity, cost-center, environment',
        'infra/main.tf: aws_cloudwatch_log_group.app lacks backstage-entity, cost-center, environment (only the literal maps inside merge(…) can be checked)',
        'infra/main.tf: aws_iam_role.task lacks backstage-entity, cost-center, environment (tags is not a literal map, so its keys cannot be checked)',
        'infra/main.tf: aws_iam_role_policy_attachment.task_logs lacks backstage-entity, cost-center, environment',
      ].join('\n'),
    );
  });

  it('reports azurerm resources from the allow-list and those with tags', async () => {
    expect(await verifyTerraform(fixture('azure'), REQUIRED)).toEqual([
      {
        file: 'infra/main.tf',
        resource: 'azurerm_resource_group.main',
        missingKeys: REQUIRED,
      },
      {
        file: 'infra/main.tf',
        resource: 'azurerm_storage_account.assets',
        missingKeys: ['backstage-entity', 'owner', 'environment'],
      },
      {
        file: 'infra/main.tf',
        resource: 'azurerm_key_vault.main',
        missingKeys: REQUIRED,
        detail: 'tags is not a literal map, so its keys cannot be checked',
      },
    ]);
  });

  it('checks other resources only through a tags or labels map', async () => {
    expect(await verifyTerraform(fixture('other'), REQUIRED)).toEqual([
      {
        file: 'infra/main.tf',
        resource: 'google_storage_bucket.assets',
        missingKeys: REQUIRED,
      },
    ]);
  });

  it('counts quoted keys and expression values, and reads keys from the literal maps in merge()', async () => {
    const files = {
      'main.tf': `resource "azurerm_resource_group" "a" {
  tags = merge(var.tags, { "backstage-entity" = local.entity, owner = "x" }, {
    "cost-center" = "cc"
    environment   = var.environment
  })
}

resource "azurerm_resource_group" "b" {
  tags = merge(var.tags, { owner = "x" })
}
`,
    };
    expect(await verifyTerraform(files, REQUIRED)).toEqual([
      {
        file: 'main.tf',
        resource: 'azurerm_resource_group.b',
        missingKeys: ['backstage-entity', 'cost-center', 'environment'],
        detail: 'only the literal maps inside merge(…) can be checked',
      },
    ]);
  });

  it('reports a labels map that is not literal with every key missing', async () => {
    const files = {
      'gcp.tf':
        'resource "google_pubsub_topic" "t" {\n  labels = local.labels\n}\n',
    };
    expect(await verifyTerraform(files, REQUIRED)).toEqual([
      {
        file: 'gcp.tf',
        resource: 'google_pubsub_topic.t',
        missingKeys: REQUIRED,
        detail: 'labels is not a literal map, so its keys cannot be checked',
      },
    ]);
  });

  it('follows provider = aws.<alias> and says when that provider is missing', async () => {
    const files = {
      'providers.tf': `provider "aws" {
  default_tags {
    tags = { owner = "a", "backstage-entity" = "b", "cost-center" = "c", environment = "d" }
  }
}
`,
      'main.tf': `resource "aws_sqs_queue" "covered" {}

resource "aws_sqs_queue" "east" {
  provider = aws.east
}
`,
    };
    expect(await verifyTerraform(files, REQUIRED)).toEqual([
      {
        file: 'main.tf',
        resource: 'aws_sqs_queue.east',
        missingKeys: REQUIRED,
        detail: 'provider aws.east is not configured in these files',
      },
    ]);
  });

  it("adds an aws resource's own tags to its provider's default tags", async () => {
    const files = {
      'main.tf': `provider "aws" {
  default_tags {
    tags = { owner = "a", "backstage-entity" = "b" }
  }
}

resource "aws_sqs_queue" "complete" {
  tags = { "cost-center" = "c", environment = var.environment }
}

resource "aws_sqs_queue" "partial" {
  tags = { environment = "d" }
}
`,
    };
    expect(await verifyTerraform(files, REQUIRED)).toEqual([
      {
        file: 'main.tf',
        resource: 'aws_sqs_queue.partial',
        missingKeys: ['cost-center'],
      },
    ]);
  });

  it('skips data, module, locals, output and variable blocks', async () => {
    const files = {
      'main.tf': `data "aws_s3_bucket" "logs" {
  bucket = "logs"
}

module "net" {
  source = "./net"
  tags   = {}
}

locals {
  tags = {}
}

variable "tags" {
  default = {}
}

output "tags" {
  value = {}
}
`,
    };
    expect(await verifyTerraform(files, REQUIRED)).toEqual([]);
  });

  it('ignores files that are not .tf', async () => {
    expect(
      await verifyTerraform({ 'README.md': '# not { terraform' }, REQUIRED),
    ).toEqual([]);
  });

  it('names the file and line of a syntax error', async () => {
    const files = {
      ...fixture('aws'),
      'infra/broken.tf':
        'resource "aws_sqs_queue" "q" {\n  name = "q"\n  tags = {\n',
    };
    const error = await verifyTerraform(files, REQUIRED).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'infra/broken.tf: Terraform syntax error on line 4: missing "}"',
    );
  });
});

describe('stampTerraform', () => {
  it.each(['aws', 'azure', 'other'])(
    'stamps the %s fixture exactly as expected',
    async folder => {
      expect(await stampTerraform(fixture(folder), SINGLE)).toEqual(
        fixture(`stamped/${folder}`),
      );
    },
  );

  it.each(['aws', 'azure', 'other'])(
    'leaves nothing to report in the %s fixture, with one or several environments',
    async folder => {
      for (const options of [SINGLE, MULTI]) {
        const stamped = await stampAndMerge(fixture(folder), options);
        expect(await verifyTerraform(stamped, REQUIRED)).toEqual([]);
      }
    },
  );

  it.each(['aws', 'azure', 'other'])(
    'changes nothing when the %s fixture is stamped again',
    async folder => {
      for (const options of [SINGLE, MULTI]) {
        const stamped = await stampAndMerge(fixture(folder), options);
        expect(await stampTerraform(stamped, options)).toEqual({});
      }
    },
  );

  it('keeps existing keys, their comments and everything outside the tags', async () => {
    const result = await stampTerraform(fixture('aws'), SINGLE);
    expect(result['infra/providers.tf']).toContain(
      '      ManagedBy = "opentofu" # set by the platform team, must survive stamping\n' +
        '      "owner"   = "group.default.team-checkout"\n',
    );
    expect(result['infra/main.tf']).toContain(
      '    Name = "${local.name}-assets"\n',
    );
    // Lines are only ever added or changed inside tags maps.
    const original = fixture('aws')['infra/main.tf'].split('\n');
    const stamped = result['infra/main.tf'].split('\n');
    const unchanged = original.filter(line => !line.includes('merge('));
    expect(unchanged.every(line => stamped.includes(line))).toBe(true);
  });

  it('writes the single environment as a literal', async () => {
    const result = await stampTerraform(fixture('azure'), SINGLE);
    expect(Object.keys(result)).toEqual(['infra/main.tf']);
    expect(result['infra/main.tf']).toContain(
      '    environment        = "staging"\n',
    );
    expect(result['infra/main.tf']).not.toContain('var.environment');
  });

  it('uses var.environment with several environments, declaring it and writing a tfvars file each', async () => {
    const result = await stampTerraform(fixture('azure'), MULTI);
    expect(Object.keys(result).sort()).toEqual([
      'infra/environments/production.tfvars',
      'infra/environments/staging.tfvars',
      'infra/main.tf',
      'infra/ownops-tags.tf',
    ]);
    expect(result['infra/main.tf'].match(/= var\.environment\n/g)).toHaveLength(
      3,
    );
    expect(result['infra/ownops-tags.tf'])
      .toBe(`# Added by Ownops when it stamped the owner tags. Change the owner, cost
# center or environments in Backstage and stamp again rather than editing here.

variable "environment" {
  description = "The environment to deploy (staging, production); pick one with -var-file=environments/<environment>.tfvars"
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "Environment must be one of: staging, production."
  }
}
`);
    expect(result['infra/environments/staging.tfvars']).toBe(
      'environment = "staging"\n',
    );
    expect(result['infra/environments/production.tfvars']).toBe(
      'environment = "production"\n',
    );
  });

  it('keeps an existing environment variable and tfvars that set it, and completes the others', async () => {
    const files = {
      ...fixture('azure'),
      'infra/variables.tf': 'variable "environment" {\n  type = string\n}\n',
      'infra/environments/staging.tfvars':
        'environment = "staging" # chosen by hand\nregion = "eu"\n',
      'infra/environments/production.tfvars': 'region = "us"',
    };
    const result = await stampTerraform(files, MULTI);
    expect(Object.keys(result).sort()).toEqual([
      'infra/environments/production.tfvars',
      'infra/main.tf',
    ]);
    expect(result['infra/environments/production.tfvars']).toBe(
      'region = "us"\nenvironment = "production"\n',
    );
  });

  it('adds a default aws provider with the tags when there is none', async () => {
    const files = {
      'infra/modules/queue/main.tf': 'resource "aws_sqs_queue" "q" {}\n',
      'infra/main.tf': `provider "aws" {
  alias  = "east"
  region = "us-east-1"
}

resource "aws_sqs_queue" "east" {
  provider = aws.east
}
`,
    };
    const result = await stampTerraform(files, SINGLE);
    expect(Object.keys(result).sort()).toEqual([
      'infra/main.tf',
      'infra/ownops-tags.tf',
    ]);
    expect(result['infra/ownops-tags.tf'])
      .toBe(`# Added by Ownops when it stamped the owner tags. Change the owner, cost
# center or environments in Backstage and stamp again rather than editing here.

# Every aws_* resource gets the owner tags through the default tags.
provider "aws" {
  default_tags {
    tags = {
      "backstage-entity" = "component.default.my-svc"
      owner              = "group.default.team-checkout"
      "cost-center"      = "cc-1001"
      environment        = "staging"
    }
  }
}
`);
    expect(await verifyTerraform({ ...files, ...result }, REQUIRED)).toEqual(
      [],
    );
  });

  it('appends to an existing ownops-tags.tf', async () => {
    const files = {
      'infra/ownops-tags.tf': '# ours\nlocals {\n  x = 1\n}',
      'infra/main.tf': 'resource "aws_sqs_queue" "q" {}\n',
    };
    const result = await stampTerraform(files, SINGLE);
    expect(result['infra/ownops-tags.tf']).toMatch(
      /^# ours\nlocals \{\n {2}x = 1\n\}\n\n# Every aws_\* resource gets/,
    );
  });

  it('adds tags into default_tags that lack them, and wraps non-literal default tags', async () => {
    const files = {
      'main.tf': `provider "aws" {
  default_tags {}
}

provider "aws" {
  alias = "b"

  default_tags {
    tags = local.tags
  }
}
`,
    };
    const result = await stampTerraform(files, {
      ...SINGLE,
      tags: { owner: 'o' },
    });
    expect(result['main.tf']).toBe(`provider "aws" {
  default_tags {
    tags = {
      owner       = "o"
      environment = "staging"
    }
  }
}

provider "aws" {
  alias = "b"

  default_tags {
    tags = merge(local.tags, {
      owner       = "o"
      environment = "staging"
    })
  }
}
`);
  });

  it('overrides an environment key passed among the tags', async () => {
    const result = await stampTerraform(
      { 'main.tf': 'resource "azurerm_resource_group" "g" {}\n' },
      { ...MULTI, tags: { environment: 'prod', owner: 'o' } },
    );
    expect(result['main.tf']).toBe(`resource "azurerm_resource_group" "g" {
  tags = {
    owner       = "o"
    environment = var.environment
  }
}
`);
  });

  it('never adds tags to an aws resource without them', async () => {
    const files = {
      'main.tf':
        'provider "aws" {}\n\nresource "aws_iam_role_policy_attachment" "a" {\n  role = "r"\n}\n',
    };
    const result = await stampTerraform(files, SINGLE);
    expect(result['main.tf']).toContain(
      'resource "aws_iam_role_policy_attachment" "a" {\n  role = "r"\n}\n',
    );
  });

  it('rejects environment names that are not safe', async () => {
    await expect(
      stampTerraform(fixture('aws'), { ...SINGLE, environments: ['../x'] }),
    ).rejects.toThrow(InputError);
    await expect(
      stampTerraform(fixture('aws'), { ...SINGLE, environments: [] }),
    ).rejects.toThrow('At least one environment is required');
  });

  it('names the file and line of a syntax error', async () => {
    await expect(
      stampTerraform({ 'infra/a.tf': 'locals {\n  a = \n}\n' }, SINGLE),
    ).rejects.toThrow('infra/a.tf: Terraform syntax error on line');
  });

  it('returns nothing without .tf files', async () => {
    expect(await stampTerraform({}, MULTI)).toEqual({});
  });
});
