#!/usr/bin/env node
// Generates the example org's cloud bill as FinOps FOCUS 1.2 CSV exports, one
// file per billing period (month): <out>/focus-YYYY-MM.csv.
//
//   node examples/cost/generate.mjs [--today YYYY-MM-DD] [--out <dir>]
//                                   [--rows N | --rows-per-day N] [--gzip] [--seed S]
//
// The bill is always current: it covers the three whole months before the
// month of --today (default: today, UTC) and that month up to yesterday, and
// its story (a credit, a correction, a EUR pilot, checkout-service's launch
// over its budget) is told relative to that month. Deterministic: every number
// comes from a seeded PRNG keyed by seed, day and resource, so the same
// --today gives the same bytes, and the next day of the same month only adds
// a day. Rows are streamed to the files with backpressure; memory stays flat
// for any size.
// --rows and --rows-per-day split each day's usage into shorter charge periods
// (hours, then minutes): the bill, and every total, stays the same.
// See README.md in this folder for what the data contains.
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

// ---------------------------------------------------------------------------
// Command line

const USAGE = `Usage: node examples/cost/generate.mjs [options]

  --today YYYY-MM-DD   the day the bill is made on, UTC (default: today);
                       it ends the day before
  --out <dir>          output folder (default .ownops/cost)
  --rows N             write N rows in total (at least the base bill's rows)
  --rows-per-day N     write N × days rows in total
  --gzip               write focus-YYYY-MM.csv.gz instead of .csv
  --seed S             PRNG seed (default 1)
  --help               this text
`;

function parseArgs(argv) {
  const options = {
    out: fileURLToPath(new URL('../../.ownops/cost', import.meta.url)),
    today: new Date().toISOString().slice(0, 10),
    rows: undefined,
    rowsPerDay: undefined,
    gzip: false,
    seed: '1',
  };
  const value = (i, name) => {
    if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) {
      fail(`${name} needs a value`);
    }
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--out':
        options.out = resolve(value(i++, arg));
        break;
      case '--today':
        options.today = value(i++, arg);
        break;
      case '--rows':
        options.rows = positiveInteger(value(i++, arg), arg);
        break;
      case '--rows-per-day':
        options.rowsPerDay = positiveInteger(value(i++, arg), arg);
        break;
      case '--seed':
        options.seed = value(i++, arg);
        break;
      case '--gzip':
        options.gzip = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${arg}`);
    }
  }
  if (options.rows !== undefined && options.rowsPerDay !== undefined) {
    fail('give --rows or --rows-per-day, not both');
  }
  return options;
}

function fail(message) {
  process.stderr.write(`generate.mjs: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function positiveInteger(text, name) {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    fail(`${name} must be a positive integer, got "${text}"`);
  }
  return Number(text);
}

/** Seconds since the epoch of a `YYYY-MM-DD` UTC day. */
function parseDay(text, name) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const time = match ? Date.UTC(+match[1], +match[2] - 1, +match[3]) : NaN;
  if (!match || new Date(time).toISOString().slice(0, 10) !== text) {
    fail(`${name} must be a day as YYYY-MM-DD, got "${text}"`);
  }
  return time / 1000;
}

// ---------------------------------------------------------------------------
// Deterministic randomness: cyrb128 hashes a key into the state of sfc32.

function cyrb128(text) {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function sfc32([a, b, c, d]) {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Stable hex digits for resource ids: they do not depend on the seed. */
function hex(key, length) {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    out += cyrb128(`${key}#${round}`)
      .map(n => n.toString(16).padStart(8, '0'))
      .join('');
  }
  return out.slice(0, length);
}

function uuid(key) {
  const h = hex(key, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------
// The example org (examples/org.yaml, examples/entities.yaml)

/** Cost centers of the owning groups, from `ownops.io/cost-center` in examples/org.yaml. */
const COST_CENTERS = {
  'team-checkout': 'cc-1001',
  'team-payments': 'cc-1002',
};

/** Components and their owners, from examples/entities.yaml. */
const OWNERS = {
  'checkout-service': 'team-checkout',
  'cart-service': 'team-checkout',
  'payments-api': 'team-payments',
  'shop-website': 'team-checkout',
};

/**
 * The budgets (`ownops.io/budget`, monthly, USD, effective cost) this data is
 * designed for; the summary shows when each month crosses 80 % and 100 %.
 */
const DESIGNED_BUDGETS = {
  'component:default/checkout-service': 1500,
  'component:default/cart-service': 1000,
  'component:default/payments-api': 1800,
  'component:default/shop-website': 300,
  'group:default/team-checkout': 3200,
  'group:default/team-payments': 2000,
};

/**
 * Entity refs in tag values use common's encodeEntityRefTagValue encoding
 * (plugins/ownops-common/src/ownerTags.ts): `component:default/x` becomes
 * `component.default.x`, lower-case, so the value is also a valid label.
 */
function encodeEntityRefTagValue(kind, namespace, name) {
  return `${kind}.${namespace}.${name}`.toLowerCase();
}

/** The four owner tags the Ownops template stamps (ownerTagsToRecord). */
function ownerTags(component, environment) {
  const owner = OWNERS[component];
  return {
    'backstage-entity': encodeEntityRefTagValue(
      'component',
      'default',
      component,
    ),
    owner: encodeEntityRefTagValue('group', 'default', owner),
    'cost-center': COST_CENTERS[owner],
    environment,
  };
}

// ---------------------------------------------------------------------------
// Accounts, regions, services

const US_BILLING = {
  id: '314159265358',
  name: 'Ownops Example Org',
  currency: 'USD',
  issuer: 'Amazon Web Services, Inc.',
};
const EU_BILLING = {
  id: '299792458042',
  name: 'Ownops Example Europe',
  currency: 'EUR',
  issuer: 'Amazon Web Services EMEA SARL',
};
const ACCOUNTS = {
  management: {
    billing: US_BILLING,
    id: US_BILLING.id,
    name: 'ownops-management',
  },
  production: {
    billing: US_BILLING,
    id: '271828182845',
    name: 'shop-production',
  },
  staging: { billing: US_BILLING, id: '161803398874', name: 'shop-staging' },
  shared: { billing: US_BILLING, id: '141421356237', name: 'shared-network' },
  euProduction: {
    billing: EU_BILLING,
    id: '602214076150',
    name: 'payments-eu-production',
  },
};
const REGIONS = {
  'us-east-1': 'US East (N. Virginia)',
  'eu-central-1': 'Europe (Frankfurt)',
};

const SERVICES = {
  ec2: ['Amazon Elastic Compute Cloud', 'Compute', 'Virtual Machines'],
  lambda: ['AWS Lambda', 'Compute', 'Serverless Compute'],
  savingsPlans: [
    'Savings Plans for AWS Compute usage',
    'Compute',
    'Other (Compute)',
  ],
  ebs: ['Amazon Elastic Block Store', 'Storage', 'Disk'],
  ebsSnapshot: ['Amazon Elastic Block Store', 'Storage', 'Backups'],
  s3: ['Amazon Simple Storage Service', 'Storage', 'Object Storage'],
  rds: ['Amazon Relational Database Service', 'Databases', 'Relational'],
  dynamodb: ['Amazon DynamoDB', 'Databases', 'NoSQL'],
  elasticache: ['Amazon ElastiCache', 'Databases', 'Caching'],
  elb: ['Elastic Load Balancing', 'Networking', 'Load Balancing'],
  vpc: ['Amazon Virtual Private Cloud', 'Networking', 'Network Management'],
  dataTransfer: ['AWS Data Transfer', 'Networking', 'Data Transfer'],
  cloudfront: ['Amazon CloudFront', 'Networking', 'Content Delivery'],
  sqs: ['Amazon Simple Queue Service', 'Integration', 'Messaging'],
  kinesis: ['Amazon Kinesis Data Streams', 'Analytics', 'Streaming Analytics'],
  kms: ['AWS Key Management Service', 'Security', 'Credentials'],
  cloudwatch: [
    'Amazon CloudWatch',
    'Management and Governance',
    'Observability',
  ],
};

// ---------------------------------------------------------------------------
// Calendar: the story is told relative to "this month", the month of
// --today. Usage follows the week and grows slowly from the bill's first day.

const DAY = 86400;
/** Sunday … Saturday. */
const WEEK = [0.74, 1.0, 1.04, 1.03, 1.02, 0.97, 0.78];
/** checkout-service's traffic during its launch, against a normal day. */
const LAUNCH_TRAFFIC = 1.6;

/** The bill's calendar, set once by main() from --today; see storyOf. */
let story;

/**
 * The days of the story for a bill made on `today` (seconds, UTC midnight):
 * three whole months before this month, then this month up to yesterday.
 */
function storyOf(today) {
  const thisMonth = monthStart(today);
  const month = offset => addMonths(thisMonth, offset);
  const day = (offset, n) => dayOf(month(offset) + (n - 1) * DAY);
  return {
    from: month(-3),
    until: today - DAY,
    thisMonth: monthOf(thisMonth),
    /** payments-api's database was down on the 7th two months ago … */
    outage: day(-2, 7),
    /** … and AWS credited it on the 20th. */
    credit: day(-2, 20),
    /** The carts table's writes were metered twice on the 14th two months ago … */
    meteredTwice: day(-2, 14),
    /** … and the correction is billed in last month's period. */
    correctionPeriod: monthOf(month(-1)),
    /** payments-api's EU pilot, billed in EUR, from the 9th of last month. */
    euPilotFrom: day(-1, 9),
    /** checkout-service's launch, from the 1st of this month: over budget. */
    launchFrom: day(0, 1),
  };
}

const iso = seconds => new Date(seconds * 1000).toISOString();
/** FOCUS date-time: `YYYY-MM-DDTHH:mm:ssZ`. */
const timestamp = seconds => `${iso(seconds).slice(0, 19)}Z`;
const dayOf = seconds => iso(seconds).slice(0, 10);
const monthOf = seconds => iso(seconds).slice(0, 7);

function monthStart(seconds) {
  const d = new Date(seconds * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
}

function nextMonthStart(seconds) {
  return addMonths(seconds, 1);
}

/** The first day of the month `offset` months from the one of `seconds`. */
function addMonths(seconds, offset) {
  const d = new Date(seconds * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1) / 1000;
}

function context(seed, start, key) {
  const date = dayOf(start);
  const rnd = sfc32(cyrb128(`${seed}|${date}|${key}`));
  const t = (start - story.from) / DAY;
  const dow = new Date(start * 1000).getUTCDay();
  const daysInMonth = (nextMonthStart(start) - monthStart(start)) / DAY;
  const noise = spread => 1 + spread * (2 * rnd() - 1);
  const growth = 1 + 0.0005 * t;
  return {
    date,
    start,
    t,
    dow,
    daysInMonth,
    weekday: dow >= 1 && dow <= 5,
    rnd,
    noise,
    growth,
    /** Requests, bytes and other traffic: week, growth and ±spread noise. */
    traffic: (spread = 0.06) => WEEK[dow] * growth * noise(spread),
    /** Stored GB for one day, as GB-months. */
    gbMonths: gb => gb / daysInMonth,
    /** Whether checkout-service's launch is on. */
    launch: date >= story.launchFrom,
    /** Whether payments-api's EU pilot runs. */
    euPilot: date >= story.euPilotFrom,
  };
}

// ---------------------------------------------------------------------------
// Resources: each yields at most one usage line per day.

const resources = [];

function resource(spec) {
  resources.push({
    ...spec,
    region: spec.region ?? 'us-east-1',
    consumedUnit: spec.consumedUnit ?? spec.pricingUnit,
    diurnal: spec.diurnal ?? true,
    accountInfo: ACCOUNTS[spec.account],
    service: SERVICES[spec.service],
    price: Number(spec.unitPrice),
  });
}

const arn = (service, region, account, rest) =>
  `arn:aws:${service}:${region}:${ACCOUNTS[account].id}:${rest}`;

function instance({
  key,
  component,
  environment,
  account,
  type,
  price,
  az,
  hours,
  committed,
  region,
}) {
  const id = `i-0${hex(key, 16)}`;
  resource({
    key,
    component,
    environment,
    account,
    region,
    az,
    service: 'ec2',
    resourceType: 'Instance',
    resourceId: arn('ec2', region ?? 'us-east-1', account, `instance/${id}`),
    resourceName: `${component}-${environment}`,
    extraTags: { 'aws:autoscaling:groupName': `${component}-${environment}` },
    unitPrice: price,
    pricingUnit: 'Hours',
    description: `$${price} per On Demand Linux ${type} Instance Hour`,
    diurnal: false,
    committed,
    quantity: hours,
  });
}

// --- checkout-service (team-checkout): orders, the busiest service ---------
const checkoutTraffic = (c, spread) =>
  c.traffic(spread) * (c.launch ? LAUNCH_TRAFFIC : 1);
for (let n = 1; n <= 8; n++) {
  instance({
    key: `checkout-production-${n}`,
    component: 'checkout-service',
    environment: 'production',
    account: 'production',
    type: 'm6i.xlarge',
    price: '0.192',
    az: n % 2 ? 'us-east-1a' : 'us-east-1b',
    // Three always, a fourth for 14 hours on weekdays; four more for the
    // launch this month.
    hours: c => {
      if (n <= 3) return 24;
      if (n === 4) return c.weekday ? 14 : 0;
      return c.launch ? 24 : 0;
    },
  });
}
resource({
  key: 'checkout-production-db',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 'rds',
  resourceType: 'DB Instance',
  resourceId: arn('rds', 'us-east-1', 'production', 'db:checkout-production'),
  resourceName: 'checkout-production',
  pricingUnit: 'Hours',
  diurnal: false,
  // Scaled up to db.r6g.2xlarge for the launch: the step in this month's cost.
  variant: c =>
    c.launch
      ? {
          unitPrice: '1.808',
          description:
            'RDS db.r6g.2xlarge Multi-AZ instance hour running PostgreSQL',
        }
      : {
          unitPrice: '0.452',
          description:
            'RDS db.r6g.large Multi-AZ instance hour running PostgreSQL',
        },
  quantity: () => 24,
});
resource({
  key: 'checkout-production-db-storage',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 'rds',
  resourceType: 'DB Instance',
  resourceId: arn('rds', 'us-east-1', 'production', 'db:checkout-production'),
  resourceName: 'checkout-production',
  unitPrice: '0.23',
  pricingUnit: 'GB-Mo',
  description:
    '$0.23 per GB-month of provisioned gp3 storage running PostgreSQL Multi-AZ',
  diurnal: false,
  quantity: c => c.gbMonths(300 + 1.5 * Math.max(0, c.t)),
});
resource({
  key: 'checkout-production-alb',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 'elb',
  resourceType: 'Load Balancer',
  resourceId: arn(
    'elasticloadbalancing',
    'us-east-1',
    'production',
    `loadbalancer/app/checkout-production/${hex(
      'checkout-production-alb',
      16,
    )}`,
  ),
  resourceName: 'checkout-production',
  unitPrice: '0.0225',
  pricingUnit: 'Hours',
  description: '$0.0225 per Application LoadBalancer-hour (or partial hour)',
  diurnal: false,
  quantity: () => 24,
});
resource({
  key: 'checkout-production-alb-lcu',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 'elb',
  resourceType: 'Load Balancer',
  resourceId: arn(
    'elasticloadbalancing',
    'us-east-1',
    'production',
    `loadbalancer/app/checkout-production/${hex(
      'checkout-production-alb',
      16,
    )}`,
  ),
  resourceName: 'checkout-production',
  unitPrice: '0.008',
  pricingUnit: 'LCU-Hours',
  description:
    '$0.008 per used Application load balancer capacity unit-hour (or partial hour)',
  quantity: c => 100 * checkoutTraffic(c),
});
resource({
  key: 'checkout-production-egress',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 'dataTransfer',
  resourceType: 'Load Balancer',
  resourceId: arn(
    'elasticloadbalancing',
    'us-east-1',
    'production',
    `loadbalancer/app/checkout-production/${hex(
      'checkout-production-alb',
      16,
    )}`,
  ),
  resourceName: 'checkout-production',
  unitPrice: '0.09',
  pricingUnit: 'GB',
  description:
    '$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier',
  quantity: c => 30 * checkoutTraffic(c, 0.1),
});
resource({
  key: 'checkout-production-receipts',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 's3',
  resourceType: 'Bucket',
  resourceId: 'arn:aws:s3:::ownops-checkout-receipts-production',
  resourceName: 'ownops-checkout-receipts-production',
  unitPrice: '0.023',
  pricingUnit: 'GB-Mo',
  description: '$0.023 per GB - first 50 TB / month of storage used',
  diurnal: false,
  quantity: c => c.gbMonths(600 + 5 * Math.max(0, c.t)),
});
resource({
  key: 'checkout-production-orders-queue',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 'sqs',
  resourceType: 'Queue',
  resourceId: arn(
    'sqs',
    'us-east-1',
    'production',
    'checkout-orders-production',
  ),
  resourceName: 'checkout-orders-production',
  unitPrice: '0.0000004',
  pricingUnit: 'Requests',
  description:
    '$0.40 per million Amazon SQS standard requests in Tier1 in US East (N. Virginia)',
  quantity: c => Math.round(2_000_000 * checkoutTraffic(c)),
});
resource({
  key: 'checkout-production-logs',
  component: 'checkout-service',
  environment: 'production',
  account: 'production',
  service: 'cloudwatch',
  resourceType: 'Log Group',
  resourceId: arn(
    'logs',
    'us-east-1',
    'production',
    'log-group:/ecs/checkout-service-production',
  ),
  resourceName: '/ecs/checkout-service-production',
  unitPrice: '0.50',
  pricingUnit: 'GB',
  description: '$0.50 per GB custom log data ingested',
  quantity: c => 3.5 * checkoutTraffic(c),
});
instance({
  key: 'checkout-staging-1',
  component: 'checkout-service',
  environment: 'staging',
  account: 'staging',
  type: 't3.medium',
  price: '0.0416',
  az: 'us-east-1a',
  hours: () => 24,
});
resource({
  key: 'checkout-staging-db',
  component: 'checkout-service',
  environment: 'staging',
  account: 'staging',
  service: 'rds',
  resourceType: 'DB Instance',
  resourceId: arn('rds', 'us-east-1', 'staging', 'db:checkout-staging'),
  resourceName: 'checkout-staging',
  unitPrice: '0.072',
  pricingUnit: 'Hours',
  description: 'RDS db.t4g.medium Single-AZ instance hour running PostgreSQL',
  diurnal: false,
  quantity: () => 24,
});
resource({
  key: 'checkout-staging-alb',
  component: 'checkout-service',
  environment: 'staging',
  account: 'staging',
  service: 'elb',
  resourceType: 'Load Balancer',
  resourceId: arn(
    'elasticloadbalancing',
    'us-east-1',
    'staging',
    `loadbalancer/app/checkout-staging/${hex('checkout-staging-alb', 16)}`,
  ),
  resourceName: 'checkout-staging',
  unitPrice: '0.0225',
  pricingUnit: 'Hours',
  description: '$0.0225 per Application LoadBalancer-hour (or partial hour)',
  diurnal: false,
  quantity: () => 24,
});
resource({
  key: 'checkout-staging-logs',
  component: 'checkout-service',
  environment: 'staging',
  account: 'staging',
  service: 'cloudwatch',
  resourceType: 'Log Group',
  resourceId: arn(
    'logs',
    'us-east-1',
    'staging',
    'log-group:/ecs/checkout-service-staging',
  ),
  resourceName: '/ecs/checkout-service-staging',
  unitPrice: '0.50',
  pricingUnit: 'GB',
  description: '$0.50 per GB custom log data ingested',
  quantity: c => 0.9 * (c.weekday ? 1 : 0.3) * c.noise(0.2),
});

// --- cart-service (team-checkout) -------------------------------------------
for (let n = 1; n <= 2; n++) {
  instance({
    key: `cart-production-${n}`,
    component: 'cart-service',
    environment: 'production',
    account: 'production',
    type: 'm6i.large',
    price: '0.096',
    az: n % 2 ? 'us-east-1a' : 'us-east-1b',
    hours: () => 24,
  });
}
resource({
  key: 'cart-production-table-writes',
  component: 'cart-service',
  environment: 'production',
  account: 'production',
  service: 'dynamodb',
  resourceType: 'Table',
  resourceId: arn(
    'dynamodb',
    'us-east-1',
    'production',
    'table/carts-production',
  ),
  resourceName: 'carts-production',
  unitPrice: '0.000000625',
  pricingUnit: 'WriteRequestUnits',
  description: '$0.625 per million write request units (US East (N. Virginia))',
  quantity: c => Math.round(9_500_000 * c.traffic(0.08)),
});
resource({
  key: 'cart-production-table-reads',
  component: 'cart-service',
  environment: 'production',
  account: 'production',
  service: 'dynamodb',
  resourceType: 'Table',
  resourceId: arn(
    'dynamodb',
    'us-east-1',
    'production',
    'table/carts-production',
  ),
  resourceName: 'carts-production',
  unitPrice: '0.000000125',
  pricingUnit: 'ReadRequestUnits',
  description: '$0.125 per million read request units (US East (N. Virginia))',
  quantity: c => Math.round(31_000_000 * c.traffic(0.08)),
});
resource({
  key: 'cart-production-table-storage',
  component: 'cart-service',
  environment: 'production',
  account: 'production',
  service: 'dynamodb',
  resourceType: 'Table',
  resourceId: arn(
    'dynamodb',
    'us-east-1',
    'production',
    'table/carts-production',
  ),
  resourceName: 'carts-production',
  unitPrice: '0.25',
  pricingUnit: 'GB-Mo',
  description:
    '$0.25 per GB-Month of storage used beyond first 25 free GB-Months',
  diurnal: false,
  quantity: c => c.gbMonths(60 + 0.2 * Math.max(0, c.t)),
});
resource({
  key: 'cart-production-cache',
  component: 'cart-service',
  environment: 'production',
  account: 'production',
  service: 'elasticache',
  resourceType: 'Cache Cluster',
  resourceId: arn(
    'elasticache',
    'us-east-1',
    'production',
    'replicationgroup:carts-production',
  ),
  resourceName: 'carts-production',
  unitPrice: '0.206',
  pricingUnit: 'Hours',
  description:
    '$0.206 per Cache Node-Hour (or partial hour) running Redis OSS cache.r6g.large',
  diurnal: false,
  quantity: () => 24,
});
resource({
  key: 'cart-production-logs',
  component: 'cart-service',
  environment: 'production',
  account: 'production',
  service: 'cloudwatch',
  resourceType: 'Log Group',
  resourceId: arn(
    'logs',
    'us-east-1',
    'production',
    'log-group:/ecs/cart-service-production',
  ),
  resourceName: '/ecs/cart-service-production',
  unitPrice: '0.50',
  pricingUnit: 'GB',
  description: '$0.50 per GB custom log data ingested',
  quantity: c => 2.4 * c.traffic(),
});
instance({
  key: 'cart-staging-1',
  component: 'cart-service',
  environment: 'staging',
  account: 'staging',
  type: 't3.small',
  price: '0.0208',
  az: 'us-east-1a',
  hours: () => 24,
});
resource({
  key: 'cart-staging-table-writes',
  component: 'cart-service',
  environment: 'staging',
  account: 'staging',
  service: 'dynamodb',
  resourceType: 'Table',
  resourceId: arn('dynamodb', 'us-east-1', 'staging', 'table/carts-staging'),
  resourceName: 'carts-staging',
  unitPrice: '0.000000625',
  pricingUnit: 'WriteRequestUnits',
  description: '$0.625 per million write request units (US East (N. Virginia))',
  quantity: c => Math.round(400_000 * (c.weekday ? 1 : 0.2) * c.noise(0.3)),
});
resource({
  key: 'cart-staging-cache',
  component: 'cart-service',
  environment: 'staging',
  account: 'staging',
  service: 'elasticache',
  resourceType: 'Cache Cluster',
  resourceId: arn(
    'elasticache',
    'us-east-1',
    'staging',
    'replicationgroup:carts-staging',
  ),
  resourceName: 'carts-staging',
  unitPrice: '0.032',
  pricingUnit: 'Hours',
  description:
    '$0.032 per Cache Node-Hour (or partial hour) running Redis OSS cache.t4g.small',
  diurnal: false,
  quantity: () => 24,
});

// --- payments-api (team-payments): EC2 covered by a Compute Savings Plan ----
const SAVINGS_PLAN = {
  id: `arn:aws:savingsplans::${US_BILLING.id}:savingsplan/${uuid(
    'compute-savings-plan',
  )}`,
  name: 'compute-sp-1yr-partial-upfront',
  /**
   * USD per hour, committed: exactly what the three covered instances use.
   * Partial upfront: half was paid when it was bought (before these
   * files), half is the monthly recurring fee.
   */
  hourly: '0.357',
  recurringHourly: '0.1785',
  /** The Savings Plans rate of c6i.xlarge, 30 % below on demand (0.17). */
  coveredRate: '0.119',
};
for (let n = 1; n <= 3; n++) {
  instance({
    key: `payments-production-${n}`,
    component: 'payments-api',
    environment: 'production',
    account: 'production',
    type: 'c6i.xlarge',
    price: '0.17',
    az: ['us-east-1a', 'us-east-1b', 'us-east-1c'][n - 1],
    committed: SAVINGS_PLAN,
    hours: () => 24,
  });
}
resource({
  key: 'payments-production-db',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'rds',
  resourceType: 'DB Instance',
  resourceId: arn('rds', 'us-east-1', 'production', 'db:payments-production'),
  resourceName: 'payments-production',
  unitPrice: '0.632',
  pricingUnit: 'Hours',
  description: 'RDS db.m6g.xlarge Multi-AZ instance hour running PostgreSQL',
  diurnal: false,
  quantity: () => 24,
});
resource({
  key: 'payments-production-db-storage',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'rds',
  resourceType: 'DB Instance',
  resourceId: arn('rds', 'us-east-1', 'production', 'db:payments-production'),
  resourceName: 'payments-production',
  unitPrice: '0.23',
  pricingUnit: 'GB-Mo',
  description:
    '$0.23 per GB-month of provisioned gp3 storage running PostgreSQL Multi-AZ',
  diurnal: false,
  quantity: c => c.gbMonths(600 + 2 * Math.max(0, c.t)),
});
resource({
  key: 'payments-production-events-shards',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'kinesis',
  resourceType: 'Stream',
  resourceId: arn(
    'kinesis',
    'us-east-1',
    'production',
    'stream/payment-events-production',
  ),
  resourceName: 'payment-events-production',
  unitPrice: '0.015',
  pricingUnit: 'ShardHours',
  description: '$0.015 per provisioned shard hour',
  diurnal: false,
  quantity: () => 4 * 24,
});
resource({
  key: 'payments-production-events-puts',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'kinesis',
  resourceType: 'Stream',
  resourceId: arn(
    'kinesis',
    'us-east-1',
    'production',
    'stream/payment-events-production',
  ),
  resourceName: 'payment-events-production',
  unitPrice: '0.000000014',
  pricingUnit: 'PUTPayloadUnits',
  description: '$0.014 per 1,000,000 PUT Payload Units',
  quantity: c => Math.round(46_000_000 * c.traffic()),
});
resource({
  key: 'payments-production-key',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'kms',
  resourceType: 'Key',
  resourceId: arn(
    'kms',
    'us-east-1',
    'production',
    `key/${uuid('payments-production-key')}`,
  ),
  resourceName: 'alias/payments-production',
  unitPrice: '0.000003',
  pricingUnit: 'Requests',
  description: '$0.03 per 10,000 requests',
  quantity: c => Math.round(450_000 * c.traffic()),
});
resource({
  key: 'payments-production-queue',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'sqs',
  resourceType: 'Queue',
  resourceId: arn(
    'sqs',
    'us-east-1',
    'production',
    'payments-settlement-production',
  ),
  resourceName: 'payments-settlement-production',
  unitPrice: '0.0000004',
  pricingUnit: 'Requests',
  description:
    '$0.40 per million Amazon SQS standard requests in Tier1 in US East (N. Virginia)',
  quantity: c => Math.round(1_800_000 * c.traffic()),
});
resource({
  key: 'payments-production-egress',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'dataTransfer',
  resourceType: 'Instance',
  resourceId: arn(
    'ec2',
    'us-east-1',
    'production',
    `instance/i-0${hex('payments-production-1', 16)}`,
  ),
  resourceName: 'payments-api-production',
  unitPrice: '0.09',
  pricingUnit: 'GB',
  description:
    '$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier',
  quantity: c => 21 * c.traffic(0.1),
});
resource({
  key: 'payments-production-logs',
  component: 'payments-api',
  environment: 'production',
  account: 'production',
  service: 'cloudwatch',
  resourceType: 'Log Group',
  resourceId: arn(
    'logs',
    'us-east-1',
    'production',
    'log-group:/ecs/payments-api-production',
  ),
  resourceName: '/ecs/payments-api-production',
  unitPrice: '0.50',
  pricingUnit: 'GB',
  description: '$0.50 per GB custom log data ingested',
  quantity: c => 6.5 * c.traffic(),
});
instance({
  key: 'payments-staging-1',
  component: 'payments-api',
  environment: 'staging',
  account: 'staging',
  type: 't3.medium',
  price: '0.0416',
  az: 'us-east-1a',
  hours: () => 24,
});
resource({
  key: 'payments-staging-db',
  component: 'payments-api',
  environment: 'staging',
  account: 'staging',
  service: 'rds',
  resourceType: 'DB Instance',
  resourceId: arn('rds', 'us-east-1', 'staging', 'db:payments-staging'),
  resourceName: 'payments-staging',
  unitPrice: '0.072',
  pricingUnit: 'Hours',
  description: 'RDS db.t4g.medium Single-AZ instance hour running PostgreSQL',
  diurnal: false,
  quantity: () => 24,
});
resource({
  key: 'payments-staging-events-shards',
  component: 'payments-api',
  environment: 'staging',
  account: 'staging',
  service: 'kinesis',
  resourceType: 'Stream',
  resourceId: arn(
    'kinesis',
    'us-east-1',
    'staging',
    'stream/payment-events-staging',
  ),
  resourceName: 'payment-events-staging',
  unitPrice: '0.015',
  pricingUnit: 'ShardHours',
  description: '$0.015 per provisioned shard hour',
  diurnal: false,
  quantity: () => 24,
});
// The EU pilot, billed in EUR by a second billing account (from the 9th of
// last month).
for (let n = 1; n <= 2; n++) {
  instance({
    key: `payments-eu-production-${n}`,
    component: 'payments-api',
    environment: 'production',
    account: 'euProduction',
    region: 'eu-central-1',
    type: 'm6i.large',
    price: '0.1071',
    az: n % 2 ? 'eu-central-1a' : 'eu-central-1b',
    hours: c => (c.euPilot ? 24 : 0),
  });
}
resource({
  key: 'payments-eu-production-volume',
  component: 'payments-api',
  environment: 'production',
  account: 'euProduction',
  region: 'eu-central-1',
  az: 'eu-central-1a',
  service: 'ebs',
  resourceType: 'Volume',
  resourceId: arn(
    'ec2',
    'eu-central-1',
    'euProduction',
    `volume/vol-0${hex('payments-eu-production-volume', 16)}`,
  ),
  resourceName: 'payments-api-production-eu',
  unitPrice: '0.0886',
  pricingUnit: 'GB-Mo',
  description:
    '€0.0886 per GB-month of General Purpose (gp3) provisioned storage - EU (Frankfurt)',
  diurnal: false,
  quantity: c => (c.euPilot ? c.gbMonths(200) : 0),
});

// --- shop-website (team-checkout): static storefront behind CloudFront ------
for (const [environment, account, scale] of [
  ['production', 'production', 1],
  ['staging', 'staging', 0.04],
]) {
  resource({
    key: `website-${environment}-cdn-bytes`,
    component: 'shop-website',
    environment,
    account,
    region: 'us-east-1',
    service: 'cloudfront',
    resourceType: 'Distribution',
    resourceId: `arn:aws:cloudfront::${
      ACCOUNTS[account].id
    }:distribution/E${hex(`website-${environment}`, 13).toUpperCase()}`,
    resourceName: `shop-website-${environment}`,
    unitPrice: '0.085',
    pricingUnit: 'GB',
    description:
      '$0.085 per GB - first 10 TB / month data transfer out (United States)',
    quantity: c => 52 * scale * c.traffic(0.1),
  });
  resource({
    key: `website-${environment}-cdn-requests`,
    component: 'shop-website',
    environment,
    account,
    service: 'cloudfront',
    resourceType: 'Distribution',
    resourceId: `arn:aws:cloudfront::${
      ACCOUNTS[account].id
    }:distribution/E${hex(`website-${environment}`, 13).toUpperCase()}`,
    resourceName: `shop-website-${environment}`,
    unitPrice: '0.00000100',
    pricingUnit: 'Requests',
    description: '$0.0100 per 10,000 HTTPS requests (United States)',
    quantity: c => Math.round(1_900_000 * scale * c.traffic()),
  });
  resource({
    key: `website-${environment}-assets`,
    component: 'shop-website',
    environment,
    account,
    service: 's3',
    resourceType: 'Bucket',
    resourceId: `arn:aws:s3:::ownops-shop-website-${environment}`,
    resourceName: `ownops-shop-website-${environment}`,
    unitPrice: '0.023',
    pricingUnit: 'GB-Mo',
    description: '$0.023 per GB - first 50 TB / month of storage used',
    diurnal: false,
    quantity: c => c.gbMonths(scale === 1 ? 140 : 35),
  });
  resource({
    key: `website-${environment}-ssr`,
    component: 'shop-website',
    environment,
    account,
    service: 'lambda',
    resourceType: 'Function',
    resourceId: arn(
      'lambda',
      'us-east-1',
      account,
      `function:shop-website-ssr-${environment}`,
    ),
    resourceName: `shop-website-ssr-${environment}`,
    unitPrice: '0.0000166667',
    pricingUnit: 'Lambda-GB-Second',
    description: 'AWS Lambda - Total Compute - US East (N. Virginia)',
    quantity: c => 86_000 * scale * c.traffic(),
  });
}

// --- Owned, but no entity: tagged only with `owner` (a plain group name) ----
resource({
  key: 'team-checkout-ci-artifacts',
  tags: { owner: 'team-checkout' },
  account: 'shared',
  service: 's3',
  resourceType: 'Bucket',
  resourceId: 'arn:aws:s3:::ownops-team-checkout-ci-artifacts',
  resourceName: 'ownops-team-checkout-ci-artifacts',
  unitPrice: '0.023',
  pricingUnit: 'GB-Mo',
  description: '$0.023 per GB - first 50 TB / month of storage used',
  diurnal: false,
  quantity: c => c.gbMonths(1800 + 12 * Math.max(0, c.t)),
});

// --- Untagged: the shared NAT gateway, a forgotten snapshot, data transfer --
const NAT = arn(
  'ec2',
  'us-east-1',
  'shared',
  `natgateway/nat-0${hex('shared-nat', 16)}`,
);
resource({
  key: 'shared-nat-hours',
  tags: null,
  account: 'shared',
  service: 'vpc',
  resourceType: 'NAT Gateway',
  resourceId: NAT,
  resourceName: null,
  unitPrice: '0.045',
  pricingUnit: 'Hours',
  description: '$0.045 per NAT Gateway Hour',
  diurnal: false,
  quantity: () => 24,
});
resource({
  key: 'shared-nat-bytes',
  tags: null,
  account: 'shared',
  service: 'vpc',
  resourceType: 'NAT Gateway',
  resourceId: NAT,
  resourceName: null,
  unitPrice: '0.045',
  pricingUnit: 'GB',
  description: '$0.045 per GB Data Processed by NAT Gateways',
  quantity: c => 190 * c.traffic(0.12),
});
resource({
  key: 'forgotten-snapshot',
  tags: null,
  account: 'production',
  service: 'ebsSnapshot',
  resourceType: 'Snapshot',
  resourceId: arn(
    'ec2',
    'us-east-1',
    'production',
    `snapshot/snap-0${hex('forgotten-snapshot', 16)}`,
  ),
  resourceName: null,
  unitPrice: '0.05',
  pricingUnit: 'GB-Mo',
  description:
    '$0.05 per GB-month of snapshot data stored - US East (N. Virginia)',
  diurnal: false,
  quantity: c => c.gbMonths(2400),
});
resource({
  key: 'untagged-data-transfer',
  tags: null,
  account: 'shared',
  service: 'dataTransfer',
  resourceType: null,
  resourceId: null,
  resourceName: null,
  unitPrice: '0.02',
  pricingUnit: 'GB',
  description:
    '$0.020 per GB - US East (N. Virginia) data transfer to US West (Oregon)',
  quantity: c => 160 * c.traffic(0.15),
});

// ---------------------------------------------------------------------------
// Lines: what one day of the bill holds.

const SCALE = 1e10; // amounts are integers of 1e-10 of the currency
const money = value => Math.round(value * SCALE);

function invoiceId(billing, period) {
  const [h] = cyrb128(`${billing.id}|${period}`);
  return billing.currency === 'EUR'
    ? `EUINDE${period.slice(2, 4)}-${100000 + (h % 900000)}`
    : String(1_000_000_000 + (h % 3_000_000_000));
}

function tagsOf(spec) {
  if (spec.tags !== undefined) {
    return spec.tags;
  }
  return { ...ownerTags(spec.component, spec.environment), ...spec.extraTags };
}

/** A usage line of one resource on the day starting at `start`, or undefined. */
function usageLine(spec, seed, start) {
  const c = context(seed, start, spec.key);
  const quantity = spec.quantity(c);
  if (!(quantity > 0)) {
    return undefined;
  }
  const variant = spec.variant?.(c) ?? spec;
  const price = Number(variant.unitPrice);
  const list = money(quantity * price);
  let billed = list;
  let effective = list;
  let commitment;
  if (spec.committed) {
    billed = 0;
    effective = money(quantity * Number(spec.committed.coveredRate));
    commitment = { ...spec.committed, status: 'Used' };
  }
  return {
    spec,
    account: spec.accountInfo,
    billingPeriod: monthStart(start),
    chargeCategory: 'Usage',
    chargeClass: null,
    chargeFrequency: 'Usage-Based',
    description: variant.description,
    start,
    end: start + DAY,
    list,
    billed,
    effective,
    contracted: list,
    unitPrice: variant.unitPrice,
    pricingCategory: spec.committed ? 'Committed' : 'Standard',
    pricingQuantity: quantity,
    pricingUnit: spec.pricingUnit,
    consumedQuantity: quantity,
    consumedUnit: spec.consumedUnit,
    commitment,
    tags: tagsOf(spec),
    splittable: true,
  };
}

const byKey = key => resources.find(r => r.key === key);

/** The bill's lines for one day, in a fixed order. */
function planDay(seed, start, firstDayOfPeriod) {
  const lines = [];
  const date = dayOf(start);
  if (firstDayOfPeriod) {
    // The Savings Plan's monthly recurring fee, billed to the management
    // account and amortized into the covered usage (EffectiveCost 0). The
    // covered usage's EffectiveCost also carries the amortized upfront fee,
    // so each month's EffectiveCost exceeds its BilledCost by that much.
    const from = monthStart(start);
    const until = nextMonthStart(start);
    const hours = (until - from) / 3600;
    const fee = money(hours * Number(SAVINGS_PLAN.recurringHourly));
    lines.push({
      spec: {
        key: 'savings-plan',
        service: SERVICES.savingsPlans,
        region: null, // global
        resourceType: 'Savings Plan',
        resourceId: SAVINGS_PLAN.id,
        resourceName: SAVINGS_PLAN.name,
      },
      account: ACCOUNTS.management,
      billingPeriod: from,
      chargeCategory: 'Purchase',
      chargeClass: null,
      chargeFrequency: 'Recurring',
      description: `Savings Plan recurring fee: $${SAVINGS_PLAN.recurringHourly} per hour of a $${SAVINGS_PLAN.hourly} per hour commitment, 1 year, Partial Upfront, Compute`,
      start: from,
      end: until,
      list: fee,
      billed: fee,
      effective: 0,
      contracted: fee,
      unitPrice: SAVINGS_PLAN.recurringHourly,
      pricingCategory: null,
      pricingQuantity: hours,
      pricingUnit: 'Hours',
      consumedQuantity: null,
      consumedUnit: null,
      commitment: { ...SAVINGS_PLAN, status: null },
      tags: null,
      splittable: false,
    });
    if (monthOf(start) === story.correctionPeriod) {
      // A correction billed in last month's period for a day the month
      // before: the carts table's write request units were metered twice
      // that day; half is refunded.
      const wrongDay = parseDay(story.meteredTwice, 'meteredTwice');
      const spec = byKey('cart-production-table-writes');
      const original = usageLine(spec, seed, wrongDay);
      const refunded = -Math.round(original.pricingQuantity / 2);
      const amount = money(refunded * spec.price);
      lines.push({
        ...original,
        billingPeriod: from,
        chargeClass: 'Correction',
        description: `Correction for ${story.meteredTwice}: write request units metered twice, ${original.description}`,
        list: amount,
        billed: amount,
        effective: amount,
        contracted: amount,
        pricingQuantity: refunded,
        consumedQuantity: refunded,
        splittable: false,
      });
    }
  }
  for (const spec of resources) {
    const line = usageLine(spec, seed, start);
    if (line) {
      lines.push(line);
    }
  }
  if (date === story.credit) {
    // A service credit for the payments database's outage.
    const spec = byKey('payments-production-db');
    const amount = money(-85);
    lines.push({
      spec,
      account: spec.accountInfo,
      billingPeriod: monthStart(start),
      chargeCategory: 'Credit',
      chargeClass: null,
      chargeFrequency: 'One-Time',
      description: `Service credit: Amazon RDS Multi-AZ availability below the SLA on ${story.outage}`,
      start,
      end: start + DAY,
      list: amount,
      billed: amount,
      effective: amount,
      contracted: amount,
      unitPrice: null,
      pricingCategory: null,
      pricingQuantity: null,
      pricingUnit: null,
      consumedQuantity: null,
      consumedUnit: null,
      commitment: undefined,
      tags: tagsOf(spec),
      splittable: false,
    });
  }
  return lines;
}

// ---------------------------------------------------------------------------
// CSV

const COLUMNS = [
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'InvoiceId',
  'InvoiceIssuerName',
  'ProviderName',
  'PublisherName',
  'SubAccountId',
  'SubAccountName',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ListUnitPrice',
  'ContractedCost',
  'ContractedUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ConsumedQuantity',
  'ConsumedUnit',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountCategory',
  'CommitmentDiscountType',
  'CommitmentDiscountStatus',
  'RegionId',
  'RegionName',
  'AvailabilityZone',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceSubcategory',
  'ServiceName',
  'Tags',
];
const COL = Object.fromEntries(COLUMNS.map((name, i) => [name, i]));

function csvCell(value) {
  if (value === null || value === undefined) {
    return '';
  }
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An integer amount of 1e-10 units as a decimal with up to 10 places. */
function formatMoney(units) {
  const negative = units < 0;
  const abs = Math.abs(units);
  const whole = Math.floor(abs / SCALE);
  const fraction = abs - whole * SCALE;
  const sign = negative ? '-' : '';
  if (fraction === 0) {
    return `${sign}${whole}`;
  }
  return `${sign}${whole}.${String(fraction)
    .padStart(10, '0')
    .replace(/0+$/, '')}`;
}

function formatQuantity(value) {
  if (value === null || value === undefined) {
    return '';
  }
  if (Number.isInteger(value)) {
    return String(value);
  }
  const text = value.toFixed(10).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** The cells of a line, with the per-row ones (periods, amounts, quantities) left to fill. */
function lineCells(line) {
  const { spec, account } = line;
  const [serviceName, category, subcategory] = spec.service;
  const cells = new Array(COLUMNS.length).fill('');
  const set = (name, value) => {
    cells[COL[name]] = csvCell(value);
  };
  const period = line.billingPeriod;
  set('BillingAccountId', account.billing.id);
  set('BillingAccountName', account.billing.name);
  set('BillingCurrency', account.billing.currency);
  set('BillingPeriodStart', timestamp(period));
  set('BillingPeriodEnd', timestamp(nextMonthStart(period)));
  set('InvoiceId', invoiceId(account.billing, monthOf(period)));
  set('InvoiceIssuerName', account.billing.issuer);
  set('ProviderName', 'AWS');
  set('PublisherName', 'Amazon Web Services, Inc.');
  set('SubAccountId', account.id);
  set('SubAccountName', account.name);
  set('ChargeCategory', line.chargeCategory);
  set('ChargeClass', line.chargeClass);
  set('ChargeDescription', line.description);
  set('ChargeFrequency', line.chargeFrequency);
  set('ListUnitPrice', line.unitPrice);
  set('ContractedUnitPrice', line.unitPrice);
  set('PricingCategory', line.pricingCategory);
  set('PricingUnit', line.pricingUnit);
  set('ConsumedUnit', line.consumedUnit);
  if (line.commitment) {
    set('CommitmentDiscountId', line.commitment.id);
    set('CommitmentDiscountName', line.commitment.name);
    set('CommitmentDiscountCategory', 'Spend');
    set('CommitmentDiscountType', 'Compute Savings Plan');
    set('CommitmentDiscountStatus', line.commitment.status);
  }
  set('RegionId', spec.region);
  set('RegionName', REGIONS[spec.region]);
  set('AvailabilityZone', spec.az);
  set('ResourceId', spec.resourceId);
  set('ResourceName', spec.resourceName);
  set('ResourceType', spec.resourceType);
  set('ServiceCategory', category);
  set('ServiceSubcategory', subcategory);
  set('ServiceName', serviceName);
  set('Tags', line.tags ? JSON.stringify(line.tags) : null);
  return cells;
}

/**
 * How to cut [start, end) into `pieces` charge periods: on hours if there
 * are enough, else minutes, else seconds; usage weighted by time of day
 * (busier in the afternoon) for traffic-like lines. Cumulative weights end
 * at exactly 1, so the pieces' amounts add up to the line's exactly.
 */
const splitCache = new Map();
function split(start, end, pieces, diurnal) {
  const key = `${start % DAY}|${end - start}|${pieces}|${diurnal}`;
  let cached = splitCache.get(key);
  if (!cached) {
    const duration = end - start;
    const unit =
      duration / 3600 >= pieces ? 3600 : duration / 60 >= pieces ? 60 : 1;
    const units = Math.floor(duration / unit);
    if (units < pieces) {
      throw new Error(
        `cannot split ${duration} s into ${pieces} charge periods`,
      );
    }
    const offsets = [];
    for (let i = 0; i <= pieces; i++) {
      offsets.push(
        i === pieces ? duration : Math.floor((units * i) / pieces) * unit,
      );
    }
    const weights = [];
    let total = 0;
    for (let i = 0; i < pieces; i++) {
      const length = offsets[i + 1] - offsets[i];
      const hour = ((start + (offsets[i] + offsets[i + 1]) / 2) % DAY) / 3600;
      const w =
        length *
        (diurnal ? 1 + 0.45 * Math.sin((2 * Math.PI * (hour - 9)) / 24) : 1);
      weights.push(w);
      total += w;
    }
    const cumulative = [0];
    let sum = 0;
    for (let i = 0; i < pieces; i++) {
      sum += weights[i];
      cumulative.push(i === pieces - 1 ? 1 : sum / total);
    }
    cached = { offsets, cumulative };
    if (splitCache.size > 10_000) {
      splitCache.clear();
    }
    splitCache.set(key, cached);
  }
  return cached;
}

/** Buffers rows and writes them with backpressure, plain or gzip. */
class CsvWriter {
  constructor(path, gzip) {
    this.file = createWriteStream(path);
    if (gzip) {
      this.target = createGzip({ level: 6 });
      this.done = pipeline(this.target, this.file);
    } else {
      this.target = this.file;
      this.done = finished(this.file);
    }
    this.done.catch(() => {}); // surfaced by close()
    this.chunks = [];
    this.length = 0;
  }

  async row(text) {
    this.chunks.push(text);
    this.length += text.length + 1;
    if (this.length >= 1 << 16) {
      await this.flush();
    }
  }

  async flush() {
    if (this.chunks.length === 0) {
      return;
    }
    const chunk = `${this.chunks.join('\n')}\n`;
    this.chunks = [];
    this.length = 0;
    if (!this.target.write(chunk)) {
      await once(this.target, 'drain');
    }
  }

  async close() {
    await this.flush();
    this.target.end();
    await this.done;
  }
}

// ---------------------------------------------------------------------------
// Totals for the summary

function addTo(map, key, line, field = 'effective') {
  map.set(key, (map.get(key) ?? 0) + line[field]);
}

function isUnallocated(line) {
  return !line.tags || (!line.tags['backstage-entity'] && !line.tags.owner);
}

function ownerRefsOf(line) {
  const refs = [];
  const tags = line.tags ?? {};
  if (tags['backstage-entity']) {
    const [kind, namespace, name] = tags['backstage-entity'].split('.');
    refs.push(`${kind}:${namespace}/${name}`);
  }
  if (tags.owner) {
    const value = tags.owner.includes('.')
      ? tags.owner.replace(/^(\w+)\.([\w-]+)\./, '$1:$2/')
      : `group:default/${tags.owner}`;
    refs.push(value);
  }
  return refs;
}

// ---------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  story = storyOf(parseDay(options.today, '--today'));
  const { from, until } = story;
  const days = [];
  for (let day = from; day <= until; day += DAY) {
    days.push(day);
  }
  const periods = [];
  for (const day of days) {
    const period = monthStart(day);
    if (periods.at(-1)?.start !== period) {
      periods.push({ start: period, days: [] });
    }
    periods.at(-1).days.push(day);
  }

  // Count the base bill's lines so --rows can be met exactly.
  let baseUsage = 0;
  let baseSingle = 0;
  for (const period of periods) {
    period.days.forEach((day, i) => {
      for (const line of planDay(options.seed, day, i === 0)) {
        if (line.splittable) baseUsage++;
        else baseSingle++;
      }
    });
  }
  const base = baseUsage + baseSingle;
  let target =
    options.rows ??
    (options.rowsPerDay ? options.rowsPerDay * days.length : base);
  if (target < base) {
    process.stderr.write(
      `generate.mjs: the bill has ${base} lines, so at least ${base} rows are written (asked for ${target})\n`,
    );
    target = base;
  }
  const perLine = Math.floor((target - baseSingle) / baseUsage);
  let extra = (target - baseSingle) % baseUsage;

  mkdirSync(options.out, { recursive: true });
  const started = process.hrtime.bigint();
  const totals = new Map(); // `${period}|${currency}` → { billed, effective, unallocatedBilled, unallocatedEffective }
  const byOwner = new Map(); // `${ref}|${chargeMonth}` → array of daily effective USD units
  const files = [];
  let rowsTotal = 0;
  let bytesHint = 0;

  for (const period of periods) {
    const month = monthOf(period.start);
    const name = `focus-${month}.csv${options.gzip ? '.gz' : ''}`;
    const writer = new CsvWriter(join(options.out, name), options.gzip);
    await writer.row(COLUMNS.join(','));
    let rows = 0;
    for (let d = 0; d < period.days.length; d++) {
      for (const line of planDay(options.seed, period.days[d], d === 0)) {
        const pieces = line.splittable ? perLine + (extra-- > 0 ? 1 : 0) : 1;
        const cells = lineCells(line);
        const { offsets, cumulative } = split(
          line.start,
          line.end,
          pieces,
          line.spec.diurnal ?? true,
        );
        const amounts = [
          [COL.BilledCost, line.billed],
          [COL.EffectiveCost, line.effective],
          [COL.ListCost, line.list],
          [COL.ContractedCost, line.contracted],
        ];
        for (let i = 0; i < pieces; i++) {
          cells[COL.ChargePeriodStart] = timestamp(line.start + offsets[i]);
          cells[COL.ChargePeriodEnd] = timestamp(line.start + offsets[i + 1]);
          for (const [index, total] of amounts) {
            cells[index] = formatMoney(
              Math.round(total * cumulative[i + 1]) -
                Math.round(total * cumulative[i]),
            );
          }
          const share = cumulative[i + 1] - cumulative[i];
          if (line.pricingQuantity !== null) {
            cells[COL.PricingQuantity] = formatQuantity(
              pieces === 1
                ? line.pricingQuantity
                : line.pricingQuantity * share,
            );
          }
          if (line.consumedQuantity !== null) {
            cells[COL.ConsumedQuantity] = formatQuantity(
              pieces === 1
                ? line.consumedQuantity
                : line.consumedQuantity * share,
            );
          }
          const text = cells.join(',');
          bytesHint += text.length + 1;
          await writer.row(text);
        }
        rows += pieces;

        const currency = line.account.billing.currency;
        const key = `${month}|${currency}`;
        const t = totals.get(key) ?? {
          billed: 0,
          effective: 0,
          unallocatedBilled: 0,
          unallocatedEffective: 0,
        };
        t.billed += line.billed;
        t.effective += line.effective;
        if (isUnallocated(line)) {
          t.unallocatedBilled += line.billed;
          t.unallocatedEffective += line.effective;
        }
        totals.set(key, t);
        if (currency === 'USD') {
          const chargeMonth = monthOf(line.start);
          const dayIndex = Math.floor(
            (line.start - monthStart(line.start)) / DAY,
          );
          for (const ref of ownerRefsOf(line)) {
            const k = `${ref}|${chargeMonth}`;
            const daily = byOwner.get(k) ?? new Array(31).fill(0);
            daily[dayIndex] += line.effective;
            byOwner.set(k, daily);
          }
        }
      }
    }
    await writer.close();
    files.push({ name, rows });
    rowsTotal += rows;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  // Summary
  const out = [];
  out.push(
    `Wrote ${rowsTotal.toLocaleString('en-US')} rows to ${
      options.out
    } in ${seconds.toFixed(1)} s (${Math.round(
      rowsTotal / seconds,
    ).toLocaleString('en-US')} rows/s, ${(bytesHint / 1e6).toFixed(
      1,
    )} MB of CSV)`,
  );
  for (const file of files) {
    out.push(`  ${file.name}: ${file.rows.toLocaleString('en-US')} rows`);
  }
  out.push(
    'Totals per billing period and currency (billed / effective; unallocated share of effective):',
  );
  for (const [key, t] of [...totals].sort()) {
    const [month, currency] = key.split('|');
    const share = t.effective
      ? (100 * t.unallocatedEffective) / t.effective
      : 0;
    out.push(
      `  ${month} ${currency}: billed ${formatMoney(
        t.billed,
      )}, effective ${formatMoney(t.effective)}; unallocated ${formatMoney(
        t.unallocatedEffective,
      )} (${share.toFixed(1)} %), billed ${formatMoney(t.unallocatedBilled)}`,
    );
  }
  out.push(
    'Designed budgets (USD effective cost by charge month; day month-to-date crosses 80 % / 100 %):',
  );
  for (const [ref, budget] of Object.entries(DESIGNED_BUDGETS)) {
    const parts = [];
    for (const period of periods) {
      const month = monthOf(period.start);
      const daily = byOwner.get(`${ref}|${month}`);
      if (!daily) continue;
      let sum = 0;
      let at80;
      let at100;
      daily.forEach((units, i) => {
        sum += units;
        if (at80 === undefined && sum >= 0.8 * budget * SCALE) at80 = i + 1;
        if (at100 === undefined && sum >= budget * SCALE) at100 = i + 1;
      });
      const pct = ((100 * sum) / (budget * SCALE)).toFixed(0);
      parts.push(
        `${month} ${(sum / SCALE).toFixed(2)} (${pct} %${
          at80 ? `, 80 % on day ${at80}` : ''
        }${at100 ? `, 100 % on day ${at100}` : ''})`,
      );
    }
    out.push(`  ${ref} ${budget} USD: ${parts.join('; ')}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch(error => {
  process.stderr.write(`generate.mjs: ${error.stack ?? error}\n`);
  process.exit(1);
});
