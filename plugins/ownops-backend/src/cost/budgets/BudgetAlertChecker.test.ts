import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { BudgetAlertStore } from '../../database/BudgetAlertStore';
import { NewBudget } from '../../database/BudgetStore';
import { DatabaseBudgetAlertStore } from '../../database/DatabaseBudgetAlertStore';
import {
  fakeCosts,
  FakeCostRow,
  InMemoryBudgetAlertStore,
  InMemoryBudgetStore,
} from './__testUtils__/fakes';
import { BudgetAlertChecker, formatMoney } from './BudgetAlertChecker';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-20T06:00:00Z');
const FINANCE = 'group:default/finance';

function component(
  name: string,
  owner?: string,
  annotations?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(annotations && { annotations }),
    },
    spec: { type: 'service', ...(owner && { owner }) },
  };
}

const entities: Entity[] = [
  component('checkout-service', 'team-checkout'),
  component('payments', 'group:default/team-payments', {
    'ownops.io/budget': '1000 USD | 50,100',
  }),
  component('broken', 'team-checkout', { 'ownops.io/budget': 'lots' }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-data', namespace: 'default', title: 'Data team' },
    spec: { type: 'team', children: [] },
  },
];

const stored = (
  entityRef: string,
  amount: string,
  thresholds: number[],
  currency = 'USD',
): NewBudget => ({
  entityRef,
  amount,
  currency,
  thresholds,
  updatedBy: 'user:default/alice',
});

function days(
  from: number,
  to: number,
  row: Omit<FakeCostRow, 'day'>,
  month = '2026-11',
): FakeCostRow[] {
  const rows: FakeCostRow[] = [];
  for (let d = from; d <= to; d++) {
    rows.push({ ...row, day: `${month}-${String(d).padStart(2, '0')}` });
  }
  return rows;
}

function setup(
  options: {
    rows?: FakeCostRow[];
    alerts?: BudgetAlertStore;
    send?: NotificationService['send'];
  } = {},
) {
  const rows = options.rows ?? [
    // 10 × 100 = 1000 of 1500: 66.6 %, threshold 50.
    ...days(1, 10, {
      entityRef: 'component:default/checkout-service',
      effectiveCost: '100',
    }),
    // 1200 of the annotation's 1000: 50 and 100 at once.
    ...days(1, 12, {
      entityRef: 'component:default/payments',
      effectiveCost: '100',
    }),
    // The group's owned rows: 450 of 500 EUR, threshold 80; USD is ignored.
    ...days(1, 9, {
      entityRef: 'component:default/etl',
      ownerRef: 'group:default/team-data',
      currency: 'EUR',
      effectiveCost: '50',
    }),
    {
      day: '2026-11-02',
      ownerRef: 'group:default/team-data',
      effectiveCost: '99999',
    },
    // 5 of the stored 10: no threshold (its annotation is invalid).
    {
      day: '2026-11-03',
      entityRef: 'component:default/broken',
      effectiveCost: '5',
    },
    // A component no longer in the catalog: finance only.
    {
      day: '2026-11-03',
      entityRef: 'component:default/gone',
      effectiveCost: '7',
    },
  ];
  const budgets = new InMemoryBudgetStore([
    stored('component:default/checkout-service', '1500.00', [50, 80, 100]),
    // The annotation wins over this stored budget.
    stored('component:default/payments', '99999', [50]),
    stored('group:default/team-data', '500', [80], 'EUR'),
    stored('component:default/broken', '10', [100]),
    stored('component:default/gone', '7', [100]),
  ]);
  const alerts = options.alerts ?? new InMemoryBudgetAlertStore();
  const notifications = {
    send: jest.fn(options.send ?? (async () => {})),
  };
  const auditor = mockServices.auditor.mock();
  const logger = mockServices.logger.mock();
  const { costs } = fakeCosts(rows);
  const deps = {
    budgets,
    alerts,
    costs,
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    notifications,
    auditor,
    logger,
    config: { financeGroup: FINANCE },
  };
  return {
    checker: new BudgetAlertChecker(deps),
    deps,
    notifications,
    auditor,
    logger,
    alerts,
  };
}

describe('BudgetAlertChecker', () => {
  it('alerts owners and finance once per newly reached threshold, with annotation budgets', async () => {
    const { checker, notifications, auditor } = setup();
    const result = await checker.check(NOW);
    expect(result).toEqual({
      checked: 5,
      alerted: [
        ['component:default/checkout-service', 50],
        ['component:default/gone', 100],
        ['component:default/payments', 50],
        ['component:default/payments', 100],
        ['group:default/team-data', 80],
      ].map(([entityRef, threshold]) => ({
        entityRef,
        month: '2026-11',
        threshold,
      })),
    });

    const sent = new Map(
      notifications.send.mock.calls.map(([options]) => [
        options.payload.link,
        options,
      ]),
    );
    expect(sent.size).toBe(4);
    expect(
      sent.get('/catalog/default/component/checkout-service/cost'),
    ).toEqual({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/team-checkout', FINANCE],
      },
      payload: {
        title: 'checkout-service reached 50% of its monthly budget',
        description:
          'November 2026: 1,000.00 USD month-to-date of a 1,500.00 USD budget (66.6%). Forecast for the month: 3,000.00 USD (200.0%). Cost data through 2026-11-10.',
        link: '/catalog/default/component/checkout-service/cost',
        severity: 'normal',
        topic: 'ownops-budget',
        scope: 'ownops-budget:component:default/checkout-service:2026-11',
      },
    });
    // Two thresholds at once: one notification, for the highest, high severity.
    const payments = sent.get('/catalog/default/component/payments/cost')!;
    expect(payments.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-payments', FINANCE],
    });
    expect(payments.payload).toMatchObject({
      title: 'payments reached 100% of its monthly budget',
      severity: 'high',
    });
    expect(payments.payload.description).toContain(
      '1,200.00 USD month-to-date of a 1,000.00 USD budget (120.0%)',
    );
    expect(payments.payload.description).toContain('Also passed: 50%.');
    expect(payments.payload.description).toContain(
      'ownops.io/budget annotation',
    );
    // A group's budget goes to the group itself, titled as in the catalog.
    const team = sent.get('/catalog/default/group/team-data/cost')!;
    expect(team.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/team-data', FINANCE],
    });
    expect(team.payload.title).toBe(
      'Data team reached 80% of its monthly budget',
    );
    expect(team.payload.description).toContain(
      '450.00 EUR month-to-date of a 500.00 EUR budget (90.0%)',
    );
    // An entity gone from the catalog: finance only.
    expect(
      sent.get('/catalog/default/component/gone/cost')!.recipients,
    ).toEqual({ type: 'entity', entityRef: [FINANCE] });

    // One audit event per notification, by the plugin itself.
    expect(auditor.createEvent).toHaveBeenCalledTimes(4);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'budget-alert',
      severityLevel: 'medium',
      meta: {
        entityRef: 'component:default/payments',
        month: '2026-11',
        threshold: 100,
        thresholds: [50, 100],
        budgetSource: 'annotation',
        currency: 'USD',
        budgetAmount: '1000',
        monthToDate: '1200',
        forecast: '3000',
        recipients: ['group:default/team-payments', FINANCE],
      },
    });
    for (const { value } of auditor.createEvent.mock.results) {
      expect((await value).success).toHaveBeenCalled();
    }

    // A second run finds every threshold alerted and sends nothing.
    notifications.send.mockClear();
    expect(await checker.check(new Date('2026-11-20T18:00:00Z'))).toEqual({
      checked: 5,
      alerted: [],
    });
    expect(notifications.send).not.toHaveBeenCalled();
  });

  it('alerts only the thresholds reached since the last run', async () => {
    const rows = days(1, 10, {
      entityRef: 'component:default/checkout-service',
      effectiveCost: '100',
    });
    const alerts = new InMemoryBudgetAlertStore();
    const first = setup({ rows, alerts });
    await first.checker.check(NOW);
    expect(first.notifications.send).toHaveBeenCalledTimes(1);

    rows.push({
      day: '2026-11-11',
      entityRef: 'component:default/checkout-service',
      effectiveCost: '200.00',
    });
    const second = setup({ rows, alerts });
    const result = await second.checker.check(new Date('2026-11-21T06:00:00Z'));
    expect(result.alerted).toEqual([
      {
        entityRef: 'component:default/checkout-service',
        month: '2026-11',
        threshold: 80,
      },
    ]);
    expect(second.notifications.send).toHaveBeenCalledTimes(1);
    expect(second.notifications.send.mock.calls[0][0].payload).toMatchObject({
      title: 'checkout-service reached 80% of its monthly budget',
      severity: 'normal',
    });
    expect(alerts.rows.map(r => [r.threshold, r.monthToDate])).toEqual([
      [50, '1000'],
      [80, '1200'],
    ]);
  });

  it('keeps going when a notification fails, and does not send it again', async () => {
    const { checker, notifications, auditor, logger, alerts } = setup({
      send: async options => {
        if (options.payload.link?.includes('payments')) {
          throw new Error('notifications backend unavailable');
        }
      },
    });
    const result = await checker.check(NOW);
    expect(result.alerted.map(a => a.entityRef)).not.toContain(
      'component:default/payments',
    );
    expect(result.alerted).toHaveLength(3);
    expect(notifications.send).toHaveBeenCalledTimes(4);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'that component:default/payments reached 100% of its 2026-11 budget; the alert is recorded and will not be sent again: Error: notifications backend unavailable',
      ),
    );
    // At most once: the claims stay.
    expect(
      (await alerts.list({ entityRef: 'component:default/payments' })).map(
        r => r.threshold,
      ),
    ).toEqual([50, 100]);
    const failed = await Promise.all(
      auditor.createEvent.mock.results.map(r => r.value),
    );
    expect(failed.filter(e => e.fail.mock.calls.length > 0)).toHaveLength(1);

    notifications.send.mockClear();
    expect((await checker.check(NOW)).alerted).toEqual([]);
    expect(notifications.send).not.toHaveBeenCalled();
  });

  it('checks the previous month too in the first days of a month, for late billing data', async () => {
    const rows = [
      ...days(1, 29, {
        entityRef: 'component:default/checkout-service',
        effectiveCost: '50',
      }),
      // The 30th arrives on 2 December and brings November to 1500.
      {
        day: '2026-11-30',
        entityRef: 'component:default/checkout-service',
        effectiveCost: '50',
      },
    ];
    const alerts = new InMemoryBudgetAlertStore();
    await alerts.claim(
      {
        entityRef: 'component:default/checkout-service',
        month: '2026-11',
        threshold: 50,
        currency: 'USD',
        budgetAmount: '1500.00',
        monthToDate: '750',
      },
      NOW,
    );
    await alerts.claim(
      {
        entityRef: 'component:default/checkout-service',
        month: '2026-11',
        threshold: 80,
        currency: 'USD',
        budgetAmount: '1500.00',
        monthToDate: '1200',
      },
      NOW,
    );
    const { checker, notifications } = setup({ rows, alerts });
    const result = await checker.check(new Date('2026-12-02T06:00:00Z'));
    expect(result).toEqual({
      checked: 10,
      alerted: [
        {
          entityRef: 'component:default/checkout-service',
          month: '2026-11',
          threshold: 100,
        },
      ],
    });
    expect(notifications.send.mock.calls[0][0].payload).toMatchObject({
      title: 'checkout-service reached 100% of its monthly budget',
      description:
        'November 2026: 1,500.00 USD spent of a 1,500.00 USD budget (100.0%). The month has ended; late billing data brought it to this threshold. Cost data through 2026-11-30.',
      severity: 'high',
      scope: 'ownops-budget:component:default/checkout-service:2026-11',
    });

    // From the 4th on, only the current month is checked.
    expect(
      (await checker.check(new Date('2026-12-04T06:00:00Z'))).checked,
    ).toBe(5);
  });

  describe('with two replicas over one database', () => {
    const databases = createTestDatabases();

    it.each(databases.eachSupportedId())(
      'notifies each threshold once when both check at the same time, %p',
      async databaseId => {
        const knex = await databases.init(databaseId);
        const a = setup({
          alerts: await DatabaseBudgetAlertStore.createForTest(knex),
        });
        const b = setup({
          alerts: await DatabaseBudgetAlertStore.createForTest(knex),
        });
        const [ra, rb] = await Promise.all([
          a.checker.check(NOW),
          b.checker.check(NOW),
        ]);
        const alerted = [...ra.alerted, ...rb.alerted]
          .map(x => `${x.entityRef} ${x.threshold}`)
          .sort();
        expect(alerted).toEqual([
          'component:default/checkout-service 50',
          'component:default/gone 100',
          'component:default/payments 100',
          'component:default/payments 50',
          'group:default/team-data 80',
        ]);
        const sent = [
          ...a.notifications.send.mock.calls,
          ...b.notifications.send.mock.calls,
        ].flatMap(([options]) =>
          options.payload.description!.includes('Also passed')
            ? [options.payload.title, `${options.payload.title} (also)`]
            : [options.payload.title],
        );
        // Each threshold reached belongs to exactly one sent notification.
        expect(sent).toHaveLength(alerted.length);
      },
    );
  });
});

describe('formatMoney', () => {
  it.each([
    ['0', 'USD', '0.00 USD'],
    ['1234.567891234', 'USD', '1,234.57 USD'],
    ['989674158026.2967', 'EUR', '989,674,158,026.30 EUR'],
    ['-1500.5', 'GBP', '-1,500.50 GBP'],
    ['0.125', 'USD', '0.12 USD'],
    ['0.135', 'USD', '0.14 USD'],
    ['-0.001', 'USD', '0.00 USD'],
  ])('formats %p %s as %p', (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });
});
