import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  ENTITY_PATH,
  environments,
  Providers,
} from '../../__testUtils__/fixtures';
import { DeployDialog } from './DeployDialog';

const server = setupServer();
registerMswTestHooks(server);

const onCall = {
  entityRef: 'component:default/checkout-service',
  provider: 'rotation',
  now: [
    {
      person: {
        userEntityRef: 'user:default/alice',
        name: 'Alice Adams',
        email: 'alice@example.com',
      },
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-30T09:00:00Z',
      escalationLevel: 1,
    },
  ],
  handoffAt: '2026-11-30T09:00:00Z',
};

const budgetStatus = {
  budget: {
    entityRef: 'component:default/checkout-service',
    amount: '1000.00',
    currency: 'USD',
    thresholds: [80, 100],
  },
  budgetSource: 'set',
  month: '2026-11',
  monthToDate: '850.00',
  forecast: '1100.00',
  dataThrough: '2026-11-26',
  percentUsed: 85,
  forecastPercent: 110,
  thresholdsReached: [80],
  state: 'at-risk',
  otherCurrencies: [],
};

function versions() {
  return http.get(`${ENTITY_PATH}/environments/staging/versions`, () =>
    HttpResponse.json({ listed: true, versions: [{ version: '1.2.0' }] }),
  );
}

async function renderDialog() {
  await renderInTestApp(
    <Providers>
      <DeployDialog
        entityRef="component:default/checkout-service"
        entityName="checkout-service"
        environment={environments().environments[0]}
        onClose={() => {}}
      />
    </Providers>,
  );
}

describe('DeployDialog', () => {
  it('shows who is on call and the budget status before deploying', async () => {
    server.use(
      versions(),
      http.get(`${ENTITY_PATH}/oncall`, () => HttpResponse.json(onCall)),
      http.get(`${ENTITY_PATH}/cost`, () =>
        HttpResponse.json({ budgetStatus }),
      ),
    );
    await renderDialog();
    await waitFor(() =>
      expect(screen.getByTestId('ownops-deploy-oncall')).toHaveTextContent(
        'Alice Adams <alice@example.com> (rotation)',
      ),
    );
    const budget = await screen.findByTestId('ownops-deploy-budget');
    expect(budget).toHaveTextContent('USD 850.00 of USD 1,000.00 this month');
    expect(budget).toHaveTextContent('85.0%');
    expect(budget).toHaveTextContent('at risk');
  });

  it('leaves the budget out without cost permission and leaves Deploy enabled when on call fails', async () => {
    server.use(
      versions(),
      http.get(`${ENTITY_PATH}/oncall`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'pagerduty timed out',
            },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
      http.get(`${ENTITY_PATH}/cost`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Unauthorized' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderDialog();
    await waitFor(() =>
      expect(screen.getByTestId('ownops-deploy-oncall')).toHaveTextContent(
        'Could not look up who is on call (pagerduty timed out)',
      ),
    );
    const deploy = screen.getByRole('button', { name: 'Deploy' });
    await waitFor(() => expect(deploy).toBeEnabled());
    expect(screen.queryByTestId('ownops-deploy-budget')).toBeNull();
  });

  it('says when no rotation applies', async () => {
    server.use(
      versions(),
      http.get(`${ENTITY_PATH}/oncall`, () =>
        HttpResponse.json({ ...onCall, provider: null, now: [] }),
      ),
      http.get(`${ENTITY_PATH}/cost`, () =>
        HttpResponse.json({ budgetStatus: null }),
      ),
    );
    await renderDialog();
    await waitFor(() =>
      expect(screen.getByTestId('ownops-deploy-oncall')).toHaveTextContent(
        'No on-call rotation applies to this service.',
      ),
    );
    expect(screen.queryByTestId('ownops-deploy-budget')).toBeNull();
  });
});
